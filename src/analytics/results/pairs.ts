/** Building, checking and reading collapsed pair counts. */
import { winShareOfA } from "../../core/judgment.ts";
import { connectedComponents } from "./graph.ts";
import { ResultsError } from "./types.ts";
import type { Comparison, Exclusion, PairRow, RankingBallot, ResultsInput } from "./types.ts";

/** Judgments in a row (every outcome counts once). */
export function rowTotal(row: PairRow): number {
  return row.winsA + row.winsB + row.ties + row.bothBad;
}

/** Win shares as Arena counts them: a tie or both_bad is half a win to each side. */
export function rowWinShares(row: PairRow): { readonly a: number; readonly b: number } {
  const half = 0.5 * (row.ties + row.bothBad);
  return { a: row.winsA + half, b: row.winsB + half };
}

/** Collapses individual comparisons into unique unordered pairs (a < b), in first-seen order. */
export function collapseComparisons(comparisons: readonly Comparison[]): PairRow[] {
  return collapseCounted(comparisons.map((c) => ({ ...c, count: 1 })));
}

/** The same collapse for comparisons already counted (e.g. by a SQL GROUP BY): one row per unordered pair. */
export function collapseCounted(counted: readonly (Comparison & { readonly count: number })[]): PairRow[] {
  const rows = new Map<string, { a: number; b: number; winsA: number; winsB: number; ties: number; bothBad: number }>();
  for (const { a, b, outcome, count } of counted) {
    const flipped = a > b;
    const low = flipped ? b : a;
    const high = flipped ? a : b;
    const key = `${low}:${high}`;
    let row = rows.get(key);
    if (!row) {
      row = { a: low, b: high, winsA: 0, winsB: 0, ties: 0, bothBad: 0 };
      rows.set(key, row);
    }
    if (outcome === "tie") row.ties += count;
    else if (outcome === "both_bad") row.bothBad += count;
    else if ((outcome === "a") !== flipped) row.winsA += count;
    else row.winsB += count;
  }
  return [...rows.values()];
}

/** Pairwise comparisons implied by rankings: each ordered pair of groups is a win, members of a group tie. */
export function comparisonsFromRankings(rankings: readonly RankingBallot[]): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const ballot of rankings) {
    ballot.groups.forEach((group, position) => {
      group.forEach((subject, k) => {
        for (const other of group.slice(k + 1)) comparisons.push({ a: subject, b: other, outcome: "tie" });
        for (const lower of ballot.groups.slice(position + 1).flat()) comparisons.push({ a: subject, b: lower, outcome: "a" });
      });
    });
  }
  return comparisons;
}

export interface CheckedPairs {
  readonly rows: readonly PairRow[];
  readonly judgments: number;
  readonly excluded: readonly Exclusion[];
}

/** The input's pair counts (derived when absent), validated; throws ResultsError on unusable input. */
export function checkedPairs(input: ResultsInput): CheckedPairs {
  requireSubjects(input.subjects);
  const source = input.pairs.length > 0 ? input.pairs : derivedRows(input);
  const rows: PairRow[] = [];
  let selfPairs = 0;
  let judgments = 0;
  for (const row of source) {
    requireValidRow(row, input.subjects.length);
    if (row.a === row.b) {
      selfPairs += rowTotal(row);
      continue;
    }
    if (rowTotal(row) === 0) continue;
    rows.push(row);
    judgments += rowTotal(row);
  }
  if (judgments === 0) throw new ResultsError("no_judgments", "there are no pairwise judgments to compute a result from");
  const excluded = selfPairs > 0 ? [{ reason: "a subject compared with itself", count: selfPairs }] : [];
  return { rows, judgments, excluded };
}

function derivedRows(input: ResultsInput): PairRow[] {
  if (input.comparisons && input.comparisons.length > 0) return collapseComparisons(input.comparisons);
  if (input.rankings && input.rankings.length > 0) return collapseComparisons(comparisonsFromRankings(input.rankings));
  return [];
}

export function requireSubjects(subjects: readonly string[]): void {
  if (subjects.length < 2) {
    throw new ResultsError("single_subject", `a result needs at least two subjects; got ${subjects.length}`);
  }
  if (new Set(subjects).size !== subjects.length) throw new ResultsError("invalid_input", "subject names must be unique");
}

function requireValidRow(row: PairRow, subjectCount: number): void {
  for (const index of [row.a, row.b]) {
    if (!Number.isInteger(index) || index < 0 || index >= subjectCount) {
      throw new ResultsError("invalid_input", `pair row names subject index ${index}, outside 0..${subjectCount - 1}`);
    }
  }
  for (const count of [row.winsA, row.winsB, row.ties, row.bothBad]) {
    if (!Number.isFinite(count) || count < 0) {
      throw new ResultsError("invalid_input", `pair counts must be finite and non-negative; got ${count}`);
    }
  }
}

/** Indices of subjects that appear in at least one row. */
export function judgedSubjects(subjectCount: number, rows: readonly PairRow[]): boolean[] {
  const judged = new Array<boolean>(subjectCount).fill(false);
  for (const row of rows) judged[row.a] = judged[row.b] = true;
  return judged;
}

/** Connected components of the comparison graph among judged subjects. */
export function comparisonComponents(subjectCount: number, rows: readonly PairRow[]): number[][] {
  const judged = judgedSubjects(subjectCount, rows);
  return connectedComponents(subjectCount, rows.map((row) => [row.a, row.b] as const)).filter((c) => c.some((i) => judged[i]));
}

/** Win-share matrix W[i][j] = wins of i over j (ties half), and the comparison totals N[i][j]. */
export function winMatrices(subjectCount: number, rows: readonly PairRow[]): { wins: Float64Array[]; totals: Float64Array[] } {
  const wins = Array.from({ length: subjectCount }, () => new Float64Array(subjectCount));
  const totals = Array.from({ length: subjectCount }, () => new Float64Array(subjectCount));
  for (const row of rows) {
    const shares = rowWinShares(row);
    const winsA = wins[row.a] as Float64Array;
    const winsB = wins[row.b] as Float64Array;
    winsA[row.b] = (winsA[row.b] ?? 0) + shares.a;
    winsB[row.a] = (winsB[row.a] ?? 0) + shares.b;
    const total = rowTotal(row);
    (totals[row.a] as Float64Array)[row.b] = ((totals[row.a] as Float64Array)[row.b] ?? 0) + total;
    (totals[row.b] as Float64Array)[row.a] = ((totals[row.b] as Float64Array)[row.a] ?? 0) + total;
  }
  return { wins, totals };
}

/** The per-comparison score of side a, used by Elo. */
export function comparisonScore(comparison: Comparison): number {
  return winShareOfA(comparison.outcome);
}

/** The comparisons without those of the given participants (e.g. after consent is revoked). */
export function withoutParticipants(comparisons: readonly Comparison[], participants: ReadonlySet<string>): Comparison[] {
  return comparisons.filter((c) => c.participant === undefined || !participants.has(c.participant));
}
