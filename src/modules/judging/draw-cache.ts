/**
 * Per-process caches for the judging path. None of them decides correctness: the exclusion rules (never the
 * same subject twice, never the same item and pair twice for a participant) are checked against rows read
 * from PostgreSQL in the request's own transaction; these only save reloading what rarely changes.
 *
 * - The pool index (accepted items × available subjects' responses) is keyed by the evaluation's pool version,
 *   which triggers bump on any change to items, responses or subjects (migration 0005), and which every draw
 *   reads in its context query: another instance's change is seen on the next draw.
 * - Pair comparison counts (the draw's weights) are re-read from the trigger-kept pair_counts table at most
 *   every PAIR_COUNTS_TTL_MS, and this process's own judgments are added at once. The weights of a draw may
 *   thus lag other instances' judgments by up to that long; this shifts preferences, never exclusions.
 * - Charters are immutable per (evaluation, version); the context query reads the latest version number.
 * Loads run on the asking request's own connection (its transaction): taking a second pool connection while
 * holding one would deadlock once every connection is held by a waiting request.
 */
import { pairKey } from "../../core/assignment.ts";
import { buildPoolIndex, pairWeights, type PoolIndex } from "../../core/draw.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import { requireCharterAt } from "../../platform/guards.ts";
import type { CharterRow } from "../../platform/records.ts";
import { assignableResponses } from "../evaluations/item-queries.ts";
import { pairCountRows } from "./queries.ts";

const PAIR_COUNTS_TTL_MS = 1_000;
const MAX_EVALUATIONS = 64;

const pools = new Map<string, { version: number; index: Promise<PoolIndex> }>();
/** Per evaluation: the pair counts as last read, and the draw weights derived from them for the current pool index. */
interface CountsEntry {
  loadedAt: number;
  counts: Promise<Map<string, number>>;
  weights?: { index: PoolIndex; weights: Float64Array };
}
const counts = new Map<string, CountsEntry>();
const charters = new Map<string, CharterRow>();

function bounded<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (!map.has(key) && map.size >= MAX_EVALUATIONS) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
  return value;
}

/** The pool index of an evaluation at `version` (null when no pool change was ever recorded). */
export function poolIndexFor(db: Queryable, evaluationId: string, version: number | null): Promise<PoolIndex> {
  const v = version ?? 0;
  const cached = pools.get(evaluationId);
  if (cached && cached.version === v) return cached.index;
  const index = assignableResponses(db, evaluationId).then(buildPoolIndex);
  index.catch(() => pools.delete(evaluationId));
  return bounded(pools, evaluationId, { version: v, index }).index;
}

/** Whether this process holds the pool index of `version` (a draw on a remembered context must not reload the pool for a stale version). */
export function holdsPoolIndex(evaluationId: string, version: number | null): boolean {
  return pools.get(evaluationId)?.version === (version ?? 0);
}

function countsEntry(db: Queryable, evaluationId: string, now: number): CountsEntry {
  const cached = counts.get(evaluationId);
  if (cached && now - cached.loadedAt < PAIR_COUNTS_TTL_MS) return cached;
  const loaded = pairCountRows(db, evaluationId).then((rows) => new Map(rows.map((row) => [pairKey(row.x, row.y), row.n])));
  loaded.catch(() => counts.delete(evaluationId));
  return bounded(counts, evaluationId, { loadedAt: now, counts: loaded });
}

export function pairCountsFor(db: Queryable, evaluationId: string, now = Date.now()): Promise<Map<string, number>> {
  return countsEntry(db, evaluationId, now).counts;
}

/** The draw weights (pairWeights) for `index` from the cached counts, computed once per re-read and kept current by notePairwiseJudgment. */
export async function pairWeightsFor(db: Queryable, evaluationId: string, index: PoolIndex, now = Date.now()): Promise<Float64Array> {
  const entry = countsEntry(db, evaluationId, now);
  const map = await entry.counts;
  if (entry.weights?.index !== index) entry.weights = { index, weights: pairWeights(index, map) };
  return entry.weights.weights;
}

/** This process's own committed pairwise judgment: counted at once, before the next re-read. */
export function notePairwiseJudgment(evaluationId: string, x: string | null, y: string | null): void {
  if (!x || !y) return;
  const cached = counts.get(evaluationId);
  if (!cached) return;
  void cached.counts.then((map) => {
    const key = pairKey(x, y);
    const n = (map.get(key) ?? 0) + 1;
    map.set(key, n);
    const p = cached.weights?.index.pairIndex.get(key);
    if (cached.weights && p !== undefined) cached.weights.weights[p] = 1 / (1 + n);
  }).catch(() => undefined); // a failed re-read is the concern of the draw that awaits it; left unhandled, it would end the process
}

/** The charter at `version` (charter versions never change once written, so they are cached by version). */
export async function cachedCharter(db: Queryable, evaluationId: string, version: number): Promise<CharterRow> {
  const key = `${evaluationId}:${version}`;
  const cached = charters.get(key);
  if (cached) return cached;
  const charter = await requireCharterAt(db, evaluationId, version);
  if (charter.version === version) bounded(charters, key, charter);
  return charter;
}
