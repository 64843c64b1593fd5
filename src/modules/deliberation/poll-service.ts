/**
 * The deliberative poll: judgments before deliberation (as they stood when the judge phase ended) and
 * after (as revised in the revise phase, or unchanged), per item and subject, with how many moved and
 * in which direction. Aggregated in SQL (store/deliberationPoll.ts); a cell with fewer than k
 * participants (before, or still judging after) is reported as suppressed, never as numbers.
 */
import { isPublishable } from "../../core/k-anonymity.ts";
import { pairwisePoll, pollExclusions, rankingPoll, ratingPoll, type PairwisePollRow, type RankingPollRow, type RatingPollRow } from "./poll-queries.ts";
import { listSubjects } from "../evaluations/subject-queries.ts";
import type { Services } from "../../platform/context.ts";
import type { Actor } from "../../platform/guards.ts";
import { requireCharter, requireReader } from "../../platform/guards.ts";

export const POLL_RULE = {
  name: "deliberative-poll",
  version: 1,
  before: "each judgment's latest version made in the judge phase",
  after: "each judgment's current version (a revision, or the judgment unchanged)",
  pairwise: "win share of the subject: a win counts 1, a tie or both-bad 1/2, a loss 0; averaged over judgments",
  ratings: "mean score per rubric dimension",
  rankings: "mean position of the subject's response in the ranking (1 = best; tied responses share their group's position)",
  counted: "participants whose current consent includes aggregate; judgments first cast after the judge phase have no 'before' and are left out",
  suppression: "a cell with fewer than k participants before, or fewer than k still judging after, is suppressed",
} as const;

/** The counts every poll row shares, whatever it measures. */
interface PollCounts {
  item_id: string | null;
  subject_id: string;
  participants: number;
  after_participants: number;
  judgments: number;
  after_judgments: number;
}

/**
 * One cell of the report: suppressed below k (before, or still judging after), else the measure before and
 * after under `key`, and how many changed.
 */
function pollCell<K extends string, C>(row: PollCounts, k: number, subjectName: string | undefined, extra: object, key: K, before: number, after: number | null, change: C) {
  const head = { itemId: row.item_id, subject: { id: row.subject_id, name: subjectName ?? null }, ...extra };
  if (!isPublishable(row.participants, k) || !isPublishable(row.after_participants, k)) return { ...head, suppressed: true as const, reason: "below_k" as const };
  return {
    ...head,
    suppressed: false as const,
    participants: row.participants,
    judgments: row.judgments,
    before: { [key]: before, judgments: row.judgments } as Record<K, number> & { judgments: number },
    after: { [key]: after, judgments: row.after_judgments, participants: row.after_participants } as Record<K, number | null> & { judgments: number; participants: number },
    change,
  };
}

const pairwiseCell = (row: PairwisePollRow, k: number, name: string | undefined) =>
  pollCell(row, k, name, {}, "winShare", row.before_share, row.after_share, { moved: row.moved, toward: row.toward, away: row.away, withdrew: row.withdrew, sideways: row.sideways });

const ratingCell = (row: RatingPollRow, k: number, name: string | undefined) =>
  pollCell(row, k, name, { dimension: row.dimension }, "mean", row.before_mean, row.after_mean, { moved: row.moved, up: row.up, down: row.down, withdrew: row.withdrew });

const rankingCell = (row: RankingPollRow, k: number, name: string | undefined) =>
  pollCell(row, k, name, {}, "meanPosition", row.before_position, row.after_position, { moved: row.moved, up: row.up, down: row.down, withdrew: row.withdrew });

export async function deliberativePoll(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation } = await requireReader(s.pool, idOrSlug, actor);
  const k = (await requireCharter(s.pool, evaluation.id)).content.kAnonymity;
  const names = new Map((await listSubjects(s.pool, evaluation.id)).map((subject) => [subject.id, subject.name]));
  const [pairwise, ratings, rankings, exclusions] = await Promise.all([
    pairwisePoll(s.pool, evaluation.id),
    ratingPoll(s.pool, evaluation.id),
    rankingPoll(s.pool, evaluation.id),
    pollExclusions(s.pool, evaluation.id),
  ]);
  return {
    rule: { ...POLL_RULE, parameters: { kAnonymity: k } },
    phase: evaluation.phase,
    pairwise: pairwise.map((row) => pairwiseCell(row, k, names.get(row.subject_id))),
    ratings: ratings.map((row) => ratingCell(row, k, names.get(row.subject_id))),
    rankings: rankings.map((row) => rankingCell(row, k, names.get(row.subject_id))),
    excluded: { judgmentsWithoutBefore: exclusions.no_before, judgmentsWithoutAggregateConsent: exclusions.no_aggregate_consent },
  };
}
