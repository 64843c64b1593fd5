/** Shares of ties, both_bad, abstentions and contests per item and per subject: disagreement with the task is a result. */
import type { JudgmentKind, PairwiseOutcome } from "../../core/judgment.ts";

export interface JudgmentRecord {
  readonly item: string;
  /** the subjects the judgment was about (both sides of a pair, the rated or ranked ones) */
  readonly subjects: readonly string[];
  readonly kind: JudgmentKind;
  readonly outcome?: PairwiseOutcome;
}

export interface OutcomeShares {
  readonly key: string;
  readonly judgments: number;
  readonly tie: number;
  readonly bothBad: number;
  readonly abstention: number;
  readonly contest: number;
}

interface Tally {
  judgments: number;
  tie: number;
  bothBad: number;
  abstention: number;
  contest: number;
}

/** Shares (0..1) of each outcome among all judgments per item and per subject. */
export function outcomeShares(records: readonly JudgmentRecord[]): { byItem: OutcomeShares[]; bySubject: OutcomeShares[] } {
  const byItem = new Map<string, Tally>();
  const bySubject = new Map<string, Tally>();
  for (const record of records) {
    count(byItem, record.item, record);
    for (const subject of new Set(record.subjects)) count(bySubject, subject, record);
  }
  return { byItem: toShares(byItem), bySubject: toShares(bySubject) };
}

function count(tallies: Map<string, Tally>, key: string, record: JudgmentRecord): void {
  const tally = tallies.get(key) ?? { judgments: 0, tie: 0, bothBad: 0, abstention: 0, contest: 0 };
  tally.judgments++;
  if (record.kind === "abstention") tally.abstention++;
  else if (record.kind === "contest") tally.contest++;
  else if (record.outcome === "tie") tally.tie++;
  else if (record.outcome === "both_bad") tally.bothBad++;
  tallies.set(key, tally);
}

function toShares(tallies: Map<string, Tally>): OutcomeShares[] {
  return [...tallies.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([key, t]) => ({ key, judgments: t.judgments, tie: t.tie / t.judgments, bothBad: t.bothBad / t.judgments, abstention: t.abstention / t.judgments, contest: t.contest / t.judgments }));
}
