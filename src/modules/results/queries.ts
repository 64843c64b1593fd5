import type { Board } from "../../core/charter.ts";
import type { PairwiseOutcome } from "../../core/judgment.ts";
import { pushTo } from "../../core/multimap.ts";
import { participantMayUseSql } from "../../platform/consent-sql.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import { dataVersion } from "../../platform/db/data-version.ts";

/**
 * A judgment counts in public figures: its author's current consent includes `aggregate` and no reason was
 * recorded to set it aside. (The results read every judgment once and carry this decision per row: see
 * judgment-snapshot.ts; the smaller queries here filter by it.)
 */
export const COUNTED = `${participantMayUseSql("c.scopes", "'aggregate'")} AND j.excluded_reason IS NULL`;

/**
 * Which version of each judgment a board counts (`BOARDS` in core/charter.ts). The blind board counts first
 * versions that are still the current vote or were revised since; a first version superseded without a
 * revision (a duplicate set aside by migration 0011) counts on neither board.
 */
export const VERSION: Readonly<Record<Board, string>> = {
  revised: "j.is_current",
  blind: `j.revises IS NULL AND (j.is_current OR j.id IN (SELECT r.revises FROM judgments r WHERE r.evaluation_id = $1 AND r.revises IS NOT NULL))`,
};

const FROM_BOARD = (board: Board) => `FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
                      WHERE j.evaluation_id = $1 AND ${VERSION[board]}`;

export interface PairCountRow {
  subject_a: string;
  subject_b: string;
  outcome: PairwiseOutcome;
  n: number;
}

/**
 * Every current judgment of the evaluation tallied per participant and what the per-person figures distinguish
 * (kind, why it is left out — null when counted —, on an item or not, a revision or not): a few rows a person,
 * read by one scan, from which the distinct-people counts below are taken (instead of one scan each).
 */
export interface TallyRow {
  participant_id: string;
  kind: string;
  reason: string | null;
  on_item: boolean;
  revision: boolean;
  n: number;
}

const distinctPeople = (rows: readonly TallyRow[]) => new Set(rows.map((r) => r.participant_id)).size;

export interface PackedSequence {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly scoreA: Float64Array;
}

/** Current judgments left out, per kind and reason: how many, and the distinct people behind them. */
export function exclusionCounts(tallies: readonly TallyRow[]): { kind: string; reason: string; n: number; people: number }[] {
  const groups = new Map<string, TallyRow[]>();
  for (const t of tallies) {
    if (t.reason === null) continue;
    const key = JSON.stringify([t.kind, t.reason]);
    pushTo(groups, key, t);
  }
  return [...groups.values()]
    .map((rows) => ({ kind: rows[0]?.kind ?? "", reason: rows[0]?.reason ?? "", n: rows.reduce((sum, r) => sum + r.n, 0), people: distinctPeople(rows) }))
    .sort((x, y) => byText(x.kind, y.kind) || byText(x.reason, y.reason));
}

/** Byte order of text, as ORDER BY under the C collation (the kinds and reasons are ASCII). */
function byText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Ranking judgments as subject-id tie groups (response ids mapped to their subjects). */
export interface RankingRow {
  participant_id: string;
  groups: string[][];
}

export interface RatingRow {
  subject_id: string;
  dimension: string;
  score: number;
  participant_id: string;
}

export interface RatingUnit {
  dimension: string;
  scores: number[];
}

export async function countedRankings(db: Queryable, evaluationId: string, board: Board = "revised"): Promise<RankingRow[]> {
  const { rows } = await db.query<{ participant_id: string; body: { order: string[][] } }>(
    `SELECT j.participant_id, j.body ${FROM_BOARD(board)} AND j.kind = 'ranking' AND ${COUNTED} ORDER BY j.seq`,
    [evaluationId],
  );
  const responseIds = [...new Set(rows.flatMap((r) => r.body.order.flat()))];
  const subjects = await db.query<{ id: string; subject_id: string }>("SELECT id, subject_id FROM responses WHERE id = ANY($1::uuid[])", [responseIds]);
  const subjectOf = new Map(subjects.rows.map((r) => [r.id, r.subject_id]));
  return rows.map((r) => ({ participant_id: r.participant_id, groups: r.body.order.map((group) => group.map((id) => subjectOf.get(id) ?? id)) }));
}

export async function countedRatings(db: Queryable, evaluationId: string): Promise<RatingRow[]> {
  const { rows } = await db.query<RatingRow>(
    `SELECT r.subject_id, s.key AS dimension, s.value::float8 AS score, j.participant_id
       FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
       JOIN responses r ON r.id = j.response_ids[1]
       CROSS JOIN LATERAL jsonb_each_text(j.body -> 'scores') AS s
      WHERE j.evaluation_id = $1 AND j.is_current AND j.kind = 'rating' AND ${COUNTED}`,
    [evaluationId],
  );
  return rows;
}

export interface ShareRow {
  key: string;
  judgments: number;
  tie: number;
  both_bad: number;
  abstention: number;
  contest: number;
  /** distinct people behind each figure (for k-suppression; never published) */
  people: { tie: number; both_bad: number; abstention: number; contest: number; other: number };
}

/** Distinct people behind the counted judgments of each kind (what feeds each rule). */
export function contributorsByKind(tallies: readonly TallyRow[]): Map<string, number> {
  const people = new Map<string, Set<string>>();
  for (const t of tallies) if (t.reason === null) people.set(t.kind, (people.get(t.kind) ?? new Set()).add(t.participant_id));
  return new Map([...people].map(([kind, set]) => [kind, set.size]));
}

/** Rating scores per (response, dimension) unit by different participants, for Krippendorff's α. */
export async function ratingUnits(db: Queryable, evaluationId: string): Promise<RatingUnit[]> {
  const { rows } = await db.query<RatingUnit>(
    `SELECT s.key AS dimension, array_agg(s.value::float8) AS scores
       FROM judgments j LEFT JOIN consents c ON c.participant_id = j.participant_id
       CROSS JOIN LATERAL jsonb_each_text(j.body -> 'scores') AS s
      WHERE j.evaluation_id = $1 AND j.is_current AND j.kind = 'rating' AND ${COUNTED}
      GROUP BY j.response_ids[1], s.key HAVING count(*) > 1`,
    [evaluationId],
  );
  return rows;
}

/**
 * A fingerprint of everything results depend on: judgments (new, revised, excluded, erased), consent
 * (granted, revoked), communities, subjects, responses and charters, through the per-evaluation version
 * their triggers bump (migration 0010); equal fingerprints mean equal data. One indexed read of a few rows.
 */
export async function resultsFingerprint(db: Queryable, evaluationId: string): Promise<string> {
  return dataVersion(db, evaluationId, "results");
}

/** Distinct people behind all counted abstentions, contests and other judgments on items (for the dissent totals). */
export function dissentPeople(tallies: readonly TallyRow[]): { abstention: number; contest: number; other: number } {
  const onItems = tallies.filter((t) => t.reason === null && t.on_item);
  return {
    abstention: distinctPeople(onItems.filter((t) => t.kind === "abstention")),
    contest: distinctPeople(onItems.filter((t) => t.kind === "contest")),
    other: distinctPeople(onItems.filter((t) => t.kind !== "abstention" && t.kind !== "contest")),
  };
}

const REVISABLE = new Set(["pairwise", "ranking", "abstention", "contest"]);

/** Counted votes revised after the reveal (current versions that revise another), and the people behind them. */
export function revisionCounts(tallies: readonly TallyRow[]): { judgments: number; people: number } {
  const revisions = tallies.filter((t) => t.reason === null && t.revision && REVISABLE.has(t.kind));
  return { judgments: revisions.reduce((sum, r) => sum + r.n, 0), people: distinctPeople(revisions) };
}
