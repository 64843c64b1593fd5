/** SQL of the stored opinion map (migration 0012): the current state per evaluation and the history of updates. */
import type { OpinionMap } from "../../analytics/opinion/types.ts";
import type { OpinionMapState } from "../../analytics/opinion/update.ts";
import { inTransaction, type Pool, type Queryable } from "../../platform/db/pool.ts";

export interface StoredOpinionMap {
  readonly version: number;
  readonly computedAt: Date;
  readonly votes: number;
  readonly inputsDigest: string;
  readonly state: OpinionMapState;
  readonly map: OpinionMap;
}

export interface OpinionMapUpdateRow {
  readonly version: number;
  readonly computedAt: Date;
  readonly votes: number;
  readonly k: number;
  readonly groupSizes: readonly { id: number; participants: number }[];
}

interface StoredRow {
  version: number;
  computed_at: Date;
  votes: number;
  inputs_digest: string;
  state: OpinionMapState;
  map: OpinionMap;
}

/** the stored map's version alone (one indexed read), or 0 when there is none yet */
export async function storedOpinionVersion(db: Queryable, evaluationId: string): Promise<number> {
  const { rows } = await db.query<{ version: number }>("SELECT version FROM opinion_maps WHERE evaluation_id = $1", [evaluationId]);
  return rows[0]?.version ?? 0;
}

export async function readStoredOpinion(db: Queryable, evaluationId: string): Promise<StoredOpinionMap | null> {
  const { rows } = await db.query<StoredRow>("SELECT version, computed_at, votes, inputs_digest, state, map FROM opinion_maps WHERE evaluation_id = $1", [evaluationId]);
  const row = rows[0];
  return row ? { version: row.version, computedAt: row.computed_at, votes: row.votes, inputsDigest: row.inputs_digest, state: row.state, map: row.map } : null;
}

/**
 * Writes the next version if the stored one is still `expected` (0: none yet), with its history row, in
 * one transaction. Returns false when another writer advanced it first (nothing is written then).
 */
export async function advanceStoredOpinion(pool: Pool, evaluationId: string, expected: number, next: StoredOpinionMap): Promise<boolean> {
  return inTransaction(pool, async (db) => {
    const values = [evaluationId, next.version, next.computedAt, next.votes, next.inputsDigest, JSON.stringify(next.state), JSON.stringify(next.map)];
    const written =
      expected === 0
        ? await db.query(
            "INSERT INTO opinion_maps (evaluation_id, version, computed_at, votes, inputs_digest, state, map) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (evaluation_id) DO NOTHING",
            values,
          )
        : await db.query(
            "UPDATE opinion_maps SET version = $2, computed_at = $3, votes = $4, inputs_digest = $5, state = $6, map = $7 WHERE evaluation_id = $1 AND version = $8",
            [...values, expected],
          );
    if (written.rowCount !== 1) return false;
    const sizes = next.map.groups.map((g) => ({ id: g.id, participants: g.participants.length }));
    await db.query("INSERT INTO opinion_map_updates (evaluation_id, version, computed_at, votes, k, group_sizes) VALUES ($1, $2, $3, $4, $5, $6)", [
      evaluationId,
      next.version,
      next.computedAt,
      next.votes,
      next.map.groups.length,
      JSON.stringify(sizes),
    ]);
    return true;
  });
}

export async function opinionMapHistory(db: Queryable, evaluationId: string): Promise<OpinionMapUpdateRow[]> {
  const { rows } = await db.query<{ version: number; computed_at: Date; votes: number; k: number; group_sizes: { id: number; participants: number }[] }>(
    "SELECT version, computed_at, votes, k, group_sizes FROM opinion_map_updates WHERE evaluation_id = $1 ORDER BY version",
    [evaluationId],
  );
  return rows.map((r) => ({ version: r.version, computedAt: r.computed_at, votes: r.votes, k: r.k, groupSizes: r.group_sizes }));
}
