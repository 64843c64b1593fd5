import type { CircuitState } from "../../core/circuit.ts";
import type { Queryable } from "../../platform/db/pool.ts";

export interface EndpointRow {
  subject_id: string;
  name: string;
  organisation: string | null;
  /** the connector config without its API key */
  config: Record<string, unknown>;
  /** `cpk1.…`, see platform/secret-box.ts */
  api_key_sealed: string | null;
}

export interface CircuitRow {
  subject_id: string;
  consecutive_failures: number;
  openings: number;
  open_until: Date | null;
  probe_until: Date | null;
  last_failure_kind: string | null;
  last_failure_status: number | null;
}

/** Saves a subject's endpoint (a new config starts with a closed circuit). */
export async function upsertEndpoint(db: Queryable, subjectId: string, config: Record<string, unknown>, apiKeySealed: string | null): Promise<void> {
  await db.query(
    `INSERT INTO subject_endpoints (subject_id, config, api_key_sealed) VALUES ($1, $2, $3)
     ON CONFLICT (subject_id) DO UPDATE SET config = EXCLUDED.config, api_key_sealed = EXCLUDED.api_key_sealed, updated_at = now()`,
    [subjectId, JSON.stringify(config), apiKeySealed],
  );
  await db.query("DELETE FROM endpoint_circuits WHERE subject_id = $1", [subjectId]);
  await db.query("UPDATE subjects SET available = true, unavailable_reason = NULL WHERE id = $1", [subjectId]);
}

/** Live subjects of an evaluation that the organisers have not withdrawn (circuits are judged by the caller). */
export async function liveEndpoints(db: Queryable, evaluationId: string): Promise<EndpointRow[]> {
  const { rows } = await db.query<EndpointRow>(
    `SELECT e.subject_id, s.name, s.organisation, e.config, e.api_key_sealed FROM subject_endpoints e JOIN subjects s ON s.id = e.subject_id
      WHERE s.evaluation_id = $1 AND s.available ORDER BY s.name`,
    [evaluationId],
  );
  return rows;
}

/** Moves a key written before keys were sealed out of the config. Only if the row still holds that plaintext. */
export async function replaceLegacyKey(db: Queryable, subjectId: string, sealed: string): Promise<void> {
  await db.query(
    `UPDATE subject_endpoints SET api_key_sealed = $2, config = config - 'apiKey'
      WHERE subject_id = $1 AND config ? 'apiKey' AND api_key_sealed IS NULL`,
    [subjectId, sealed],
  );
}

/** Every endpoint still holding a plaintext key (written before keys were sealed). */
export async function legacyKeyRows(db: Queryable): Promise<{ subject_id: string; api_key: string }[]> {
  const { rows } = await db.query<{ subject_id: string; api_key: string }>(
    "SELECT subject_id, config->>'apiKey' AS api_key FROM subject_endpoints WHERE config ? 'apiKey' AND api_key_sealed IS NULL",
  );
  return rows;
}

export async function circuitsOf(db: Queryable, evaluationId: string): Promise<Map<string, CircuitRow>> {
  const { rows } = await db.query<CircuitRow>(
    `SELECT c.subject_id, c.consecutive_failures, c.openings, c.open_until, c.probe_until, c.last_failure_kind, c.last_failure_status
       FROM endpoint_circuits c JOIN subjects s ON s.id = c.subject_id WHERE s.evaluation_id = $1`,
    [evaluationId],
  );
  return new Map(rows.map((row) => [row.subject_id, row]));
}

/** The circuit row, locked for the transaction (created closed if missing). */
export async function lockCircuit(db: Queryable, subjectId: string): Promise<CircuitRow> {
  await db.query("INSERT INTO endpoint_circuits (subject_id) VALUES ($1) ON CONFLICT (subject_id) DO NOTHING", [subjectId]);
  const { rows } = await db.query<CircuitRow>(
    `SELECT subject_id, consecutive_failures, openings, open_until, probe_until, last_failure_kind, last_failure_status
       FROM endpoint_circuits WHERE subject_id = $1 FOR UPDATE`,
    [subjectId],
  );
  return rows[0] as CircuitRow;
}

export async function saveCircuit(db: Queryable, subjectId: string, state: CircuitState, now: Date, failure?: { kind: string; status: number | null }): Promise<void> {
  await db.query(
    `UPDATE endpoint_circuits SET consecutive_failures = $2, openings = $3, open_until = $4, probe_until = $5, updated_at = $6,
            last_failure_kind = CASE WHEN $7::text IS NULL THEN last_failure_kind ELSE $7 END,
            last_failure_status = CASE WHEN $7::text IS NULL THEN last_failure_status ELSE $8 END,
            last_failure_at = CASE WHEN $7::text IS NULL THEN last_failure_at ELSE $6 END
      WHERE subject_id = $1`,
    [subjectId, state.consecutiveFailures, state.openings, state.openUntil, state.probeUntil, now, failure?.kind ?? null, failure?.status ?? null],
  );
}

export function stateOf(row: CircuitRow | undefined): CircuitState {
  if (!row) return { consecutiveFailures: 0, openings: 0, openUntil: null, probeUntil: null };
  return { consecutiveFailures: row.consecutive_failures, openings: row.openings, openUntil: row.open_until, probeUntil: row.probe_until };
}

/** Live battles started since `since`, by this participant and in the whole evaluation; locks the evaluation's counter. */
export async function countLiveBattles(db: Queryable, evaluationId: string, participantId: string, since: Date): Promise<{ participant: number; evaluation: number }> {
  await db.query("SELECT pg_advisory_xact_lock(hashtextextended('live_battles:' || $1::text, 0))", [evaluationId]);
  const { rows } = await db.query<{ participant: number; evaluation: number }>(
    `SELECT count(*) FILTER (WHERE participant_id = $2)::int AS participant, count(*)::int AS evaluation
       FROM live_battles WHERE evaluation_id = $1 AND started_at > $3`,
    [evaluationId, participantId, since],
  );
  return rows[0] ?? { participant: 0, evaluation: 0 };
}

export async function recordLiveBattle(db: Queryable, evaluationId: string, participantId: string, at: Date): Promise<void> {
  await db.query("INSERT INTO live_battles (evaluation_id, participant_id, started_at) VALUES ($1, $2, $3)", [evaluationId, participantId, at]);
}
