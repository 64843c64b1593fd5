/**
 * Every judgment the results of an evaluation can count, read by ONE scan into typed arrays: the current versions
 * and the first versions revised since (the blind board's). The aggregates the results show (pair counts per
 * board, community and slice, dissent shares per item and subject, agreement units, Elo's order, per-person
 * tallies) are then taken from these arrays (snapshot-tallies.ts) instead of a dozen SQL statements each scanning
 * a million rows. Which judgment counts stays decided here in SQL, by the same conditions as every other query
 * (`VERSION` per board, the consent twin `participantMayUseSql`); the arrays carry the decisions as flags.
 *
 * The reads run in one REPEATABLE READ transaction, so the participants, subjects and items listed (by id) are
 * those the judgments read refer to. Each column arrives as one bytea in base64 text (a third
 * less to receive and parse than bytea's hex); the row holding them is capped at 1 GB by PostgreSQL, about 37 bytes
 * a judgment, so an evaluation's results can be computed up to about 25 million judgments.
 */
import type { Board } from "../../core/charter.ts";
import { JUDGMENT_KINDS, PAIRWISE_OUTCOMES } from "../../core/judgment.ts";
import { participantMayUseSql } from "../../platform/consent-sql.ts";
import type { Client, Pool } from "../../platform/db/pool.ts";
import { memoCache } from "../../platform/memo-cache.ts";
import { Semaphore } from "../../connectors/llm/semaphore.ts";
import { countedRankings, countedRatings, ratingUnits as ratingUnitsOf, resultsFingerprint, VERSION, type RankingRow, type RatingRow, type RatingUnit } from "./queries.ts";
import { decodeColumns, personOrder, renumber, sortedIndexOf } from "./snapshot-columns.ts";


/** Bits of `flags`. */
export const FLAG = {
  /** on the revised board (the current version) */
  revised: 1,
  /** on the blind board (a first version, current or revised since) */
  blind: 2,
  /** a revision of another judgment */
  revision: 4,
  /** a pairwise judgment showing two responses of two named subjects */
  showsTwo: 8,
} as const;

export const BOARD_FLAG: Readonly<Record<Board, number>> = { revised: FLAG.revised, blind: FLAG.blind };

/** `outcome` for judgments without one (not pairwise). */
export const NO_OUTCOME = 255;

export interface SnapshotParticipants {
  /** by id (the numbering `who` refers to) */
  readonly ids: readonly string[];
  readonly pseudonyms: readonly string[];
  readonly communities: readonly (readonly string[])[];
  /** 1 when the participant's current consent includes `aggregate` (the consent rule, decided in SQL) */
  readonly consenting: Uint8Array;
}

export interface JudgmentSnapshot {
  readonly participants: SnapshotParticipants;
  /** subject ids by id order (the numbering of `a`, `b` and `responseSubjects`) */
  readonly subjectIds: readonly string[];
  /** item ids by id order, with their scenario (for slices) */
  readonly itemIds: readonly string[];
  readonly itemScenarios: readonly unknown[];
  /** judgments, in the order they were made (by seq) */
  readonly size: number;
  readonly who: Int32Array;
  /** −1: on no item */
  readonly item: Int32Array;
  /** −1: no subject */
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** index into JUDGMENT_KINDS */
  readonly kind: Uint8Array;
  /** index into PAIRWISE_OUTCOMES, or NO_OUTCOME */
  readonly outcome: Uint8Array;
  readonly flags: Uint8Array;
  /**
   * 1 when the judgment counts in public figures: its author's current consent includes `aggregate` and no
   * reason was recorded to set it aside (`COUNTED` in queries.ts, decided once here for every aggregate)
   */
  readonly counted: Uint8Array;
  /** the rows person by person (each person's in seq order): person p's are byPerson[personStart[p] … personStart[p + 1] − 1] */
  readonly byPerson: Uint32Array;
  readonly personStart: Uint32Array;
  /** the reason recorded on a judgment set aside (e.g. identity_leak), by row */
  readonly excluded: ReadonlyMap<number, string>;
  /** the subjects of the responses shown, by row, for current judgments not showing two (see FLAG.showsTwo) and not set aside; with repeats */
  readonly responseSubjects: ReadonlyMap<number, readonly number[]>;
  /**
   * The counted rankings per board, ratings and rating units, read in the same transaction: the k gates count the
   * people of the judgments above, so the figures they gate must come from the same people (a consent revoked
   * between two reads would otherwise publish a figure of k − 1 people).
   */
  readonly rankings: Readonly<Record<Board, readonly RankingRow[]>>;
  readonly ratings: readonly RatingRow[];
  readonly ratingUnits: readonly RatingUnit[];
}

/** The flags the stored code (judgments.snapshot_code, migration 0015) cannot hold: which board a row is on. */
const BOARD_FLAGS = `(${VERSION.revised})::int * ${FLAG.revised} + (${VERSION.blind})::int * ${FLAG.blind}`;

/**
 * One row: per judgment, its seq (8 bytes), participant (4), both subjects ((a + 1) · 2^32 + b + 1; 8), and its item
 * with a code ((item + 1) · 2^24 + kind · 2^16 + outcome · 2^8 + flags; 8; all but the board flags stored by
 * PostgreSQL with the judgment), each column one bytea of fixed-width
 * big-endian values in the same row order (an aggregate node feeds every aggregate the same rows, and parallel
 * workers' partial rows are combined for all aggregates at once); and the few rows set aside or not showing two, by
 * seq. Participant, subjects and item are the numbers the judgment carries (migration 0015), renumbered by id here.
 */
const SNAPSHOT_SQL = `
  SELECT encode(string_agg(int8send(j.seq), ''::bytea), 'base64') AS seq,
         encode(string_agg(int4send(j.participant_number), ''::bytea), 'base64') AS who,
         encode(string_agg(int8send((coalesce(j.subject_a_number, -1) + 1)::int8 * 4294967296 + coalesce(j.subject_b_number, -1) + 1), ''::bytea), 'base64') AS pair,
         encode(string_agg(int8send((coalesce(j.item_number, -1) + 1)::int8 * 16777216 + j.snapshot_code + ${BOARD_FLAGS}), ''::bytea), 'base64') AS code,
         array_agg(j.seq) FILTER (WHERE j.excluded_reason IS NOT NULL) AS excluded_seq,
         array_agg(j.excluded_reason) FILTER (WHERE j.excluded_reason IS NOT NULL) AS excluded_reason,
         array_agg(j.seq) FILTER (WHERE j.snapshot_code & ${FLAG.showsTwo} = 0 AND j.is_current AND j.excluded_reason IS NULL AND cardinality(j.response_ids) > 0) AS other_seq
    FROM judgments j
   WHERE j.evaluation_id = $1 AND (${VERSION.revised} OR ${VERSION.blind})`;

interface SnapshotRow {
  seq: string | null;
  who: string | null;
  pair: string | null;
  code: string | null;
  excluded_seq: number[] | null;
  excluded_reason: string[] | null;
  other_seq: number[] | null;
}

/** A million judgments take about 30 MB here: two evaluations' latest snapshots are kept. */
const recent = memoCache<JudgmentSnapshot>(2);

/**
 * The snapshot of the evaluation's judgments read at or after its results data `version` (q.resultsFingerprint),
 * shared by every results computation of that version (several option sets, the dissent record).
 */
export function snapshotAt(pool: Pool, evaluationId: string, version: string): Promise<JudgmentSnapshot> {
  return recent(JSON.stringify([evaluationId, version]), () => readJudgmentSnapshot(pool, evaluationId));
}

/** The snapshot of the evaluation's current data version. */
export async function currentSnapshot(pool: Pool, evaluationId: string): Promise<JudgmentSnapshot> {
  return snapshotAt(pool, evaluationId, await resultsFingerprint(pool, evaluationId));
}

/**
 * At most two snapshots are read at once in a process (a million judgments: about a second of the database and
 * 150 MB while decoded); more requests for other evaluations' results wait their turn rather than pile up.
 */
const reading = new Semaphore(2);

export async function readJudgmentSnapshot(pool: Pool, evaluationId: string): Promise<JudgmentSnapshot> {
  const release = await reading.acquire();
  try {
    return await readOnce(pool, evaluationId);
  } finally {
    release();
  }
}

async function readOnce(pool: Pool, evaluationId: string): Promise<JudgmentSnapshot> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const snapshot = await readInTransaction(client, evaluationId);
    await client.query("COMMIT");
    client.release();
    return snapshot;
  } catch (error) {
    // a connection that cannot even roll back is not given back to the pool
    const broken = await client.query("ROLLBACK").then(
      () => undefined,
      (rollback: unknown) => (rollback instanceof Error ? rollback : new Error(String(rollback))),
    );
    client.release(broken);
    throw error;
  }
}

async function readInTransaction(client: Client, evaluationId: string): Promise<JudgmentSnapshot> {
  const participants = await client.query<{ id: string; number: number; pseudonym: string; communities: string[]; consenting: boolean }>(
    `SELECT p.id, p.number, p.pseudonym, p.communities, ${participantMayUseSql("c.scopes", "'aggregate'")} AS consenting
       FROM participants p LEFT JOIN consents c ON c.participant_id = p.id WHERE p.evaluation_id = $1 ORDER BY p.id`,
    [evaluationId],
  );
  const subjects = await client.query<{ id: string; number: number }>("SELECT id, number FROM subjects WHERE evaluation_id = $1 ORDER BY id", [evaluationId]);
  const items = await client.query<{ id: string; number: number; scenario: unknown }>("SELECT id, number, scenario FROM items WHERE evaluation_id = $1 ORDER BY id", [evaluationId]);
  // parallel workers share the scan whatever the table's size
  await client.query("SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0; SET LOCAL min_parallel_table_scan_size = 0");
  const row = (await client.query<SnapshotRow>(SNAPSHOT_SQL, [evaluationId])).rows[0];
  const { seq, columns } = decodeColumns({ seq: row?.seq ?? null, who: row?.who ?? null, pair: row?.pair ?? null, code: row?.code ?? null });
  // the numbers the judgments carry, as positions in the lists above (by id)
  renumber(columns.who, participants.rows, "participant");
  renumber(columns.a, subjects.rows, "subject");
  renumber(columns.b, subjects.rows, "subject");
  renumber(columns.item, items.rows, "item");
  const rowOf = (value: number | string) => sortedIndexOf(seq, Number(value));
  const excluded = new Map<number, string>();
  (row?.excluded_seq ?? []).forEach((value, k) => excluded.set(rowOf(value), row?.excluded_reason?.[k] ?? ""));
  const responseSubjects = await subjectsShown(client, evaluationId, row?.other_seq ?? [], rowOf, subjects.rows);
  const [revisedRankings, blindRankings, ratings, ratingUnits] = [
    await countedRankings(client, evaluationId, "revised"),
    await countedRankings(client, evaluationId, "blind"),
    await countedRatings(client, evaluationId),
    await ratingUnitsOf(client, evaluationId),
  ];
  const consenting = Uint8Array.from(participants.rows, (p) => (p.consenting ? 1 : 0));
  const counted = new Uint8Array(columns.size);
  for (let k = 0; k < columns.size; k++) counted[k] = consenting[columns.who[k] as number] === 1 && !excluded.has(k) ? 1 : 0;
  return {
    participants: {
      ids: participants.rows.map((p) => p.id),
      pseudonyms: participants.rows.map((p) => p.pseudonym),
      communities: participants.rows.map((p) => p.communities),
      consenting,
    },
    subjectIds: subjects.rows.map((s) => s.id),
    itemIds: items.rows.map((i) => i.id),
    itemScenarios: items.rows.map((i) => i.scenario),
    size: columns.size,
    who: columns.who,
    item: columns.item,
    a: columns.a,
    b: columns.b,
    kind: columns.kind,
    outcome: columns.outcome,
    flags: columns.flags,
    counted,
    ...personOrder(columns.who, participants.rows.length),
    excluded,
    responseSubjects,
    rankings: { revised: revisedRankings, blind: blindRankings },
    ratings,
    ratingUnits,
  };
}

/** The subjects of each response shown, for the judgments that do not show two subjects' responses. */
async function subjectsShown(client: Client, evaluationId: string, seqs: readonly (number | string)[], rowOf: (seq: number | string) => number, subjects: readonly { id: string }[]) {
  const shown = new Map<number, number[]>();
  if (seqs.length === 0) return shown;
  const index = new Map(subjects.map((s, i) => [s.id, i]));
  const { rows } = await client.query<{ seq: number; subjects: string[] }>(
    `SELECT j.seq, array_agg(r.subject_id ORDER BY o.n) AS subjects
       FROM judgments j CROSS JOIN LATERAL unnest(j.response_ids) WITH ORDINALITY AS o(rid, n) JOIN responses r ON r.id = o.rid
      WHERE j.evaluation_id = $1 AND j.seq = ANY($2::bigint[]) GROUP BY j.seq`,
    [evaluationId, seqs],
  );
  for (const r of rows) shown.set(rowOf(r.seq), r.subjects.map((id) => index.get(id) ?? -1));
  return shown;
}

const PAIRWISE = JUDGMENT_KINDS.indexOf("pairwise");

/** Row masks per snapshot, computed once: several aggregates select the same rows. */
const masks = new WeakMap<JudgmentSnapshot, Map<string, Uint8Array>>();
function memoised(snapshot: JudgmentSnapshot, key: string, compute: () => Uint8Array): Uint8Array {
  const mine = masks.get(snapshot) ?? new Map<string, Uint8Array>();
  masks.set(snapshot, mine);
  const found = mine.get(key);
  if (found) return found;
  const mask = compute();
  mine.set(key, mask);
  return mask;
}

/** Per row, 1 for a counted pairwise judgment on `board` between two known subjects (with an outcome). */
export function countedPairRows(snapshot: JudgmentSnapshot, board: Board): Uint8Array {
  return memoised(snapshot, board, () => {
    const flag = BOARD_FLAG[board];
    const { size, kind, flags, a, b, outcome, counted } = snapshot;
    const out = new Uint8Array(size);
    for (let row = 0; row < size; row++) {
      out[row] =
        kind[row] === PAIRWISE && ((flags[row] as number) & flag) !== 0 && (a[row] as number) >= 0 && (b[row] as number) >= 0 && (outcome[row] as number) < PAIRWISE_OUTCOMES.length && counted[row] === 1 ? 1 : 0;
    }
    return out;
  });
}

/** Per row, 1 for a current counted judgment (any kind). */
export function currentCountedRows(snapshot: JudgmentSnapshot): Uint8Array {
  return memoised(snapshot, "current", () => {
    const { size, flags, counted } = snapshot;
    const out = new Uint8Array(size);
    for (let row = 0; row < size; row++) out[row] = ((flags[row] as number) & FLAG.revised) !== 0 && counted[row] === 1 ? 1 : 0;
    return out;
  });
}
