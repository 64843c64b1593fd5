import type { PairwiseOutcome } from "../../core/judgment.ts";
import type { Queryable } from "../../platform/db/pool.ts";

export interface BulkPairwise {
  participantId: string;
  itemId: string | null;
  subjectA: string;
  subjectB: string;
  responseIds: string[];
  outcome: PairwiseOutcome;
}

/** Inserts many imported pairwise judgments in one statement, keeping their order in `seq`. */
export async function insertPairwiseBulk(
  db: Queryable,
  evaluationId: string,
  charterVersion: number,
  consentScopes: readonly string[],
  rows: readonly BulkPairwise[],
): Promise<number> {
  const chunk = 5000;
  let inserted = 0;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const result = await db.query(
      `INSERT INTO judgments (evaluation_id, participant_id, item_id, kind, body, subject_a, subject_b, outcome, response_ids, phase, charter_version, consent_scopes)
       SELECT $1, t.participant_id, t.item_id, 'pairwise', jsonb_build_object('kind', 'pairwise', 'outcome', t.outcome),
              t.subject_a, t.subject_b, t.outcome, COALESCE(string_to_array(t.response_ids, ',')::uuid[], '{}'), 'judge', $2, $3
         FROM unnest($4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::text[], $9::text[])
              WITH ORDINALITY AS t(participant_id, item_id, subject_a, subject_b, outcome, response_ids, n)
        ORDER BY t.n`,
      [
        evaluationId,
        charterVersion,
        consentScopes,
        part.map((r) => r.participantId),
        part.map((r) => r.itemId),
        part.map((r) => r.subjectA),
        part.map((r) => r.subjectB),
        part.map((r) => r.outcome),
        part.map((r) => (r.responseIds.length ? r.responseIds.join(",") : null)),
      ],
    );
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

/**
 * Pseudonymous participants of an imported source, created if missing, with the consent the source's
 * contributors gave recorded (as a grant event) for those that have none yet. Returns id by pseudonym.
 * Imported participants live in their own namespace (`imported`, with its own pseudonym uniqueness): a name
 * in a file is NEVER matched to a participant who joined, even one whose pseudonym it spells, and an imported
 * participant never counts in collective decisions (core governance isEligibleVoter).
 */
export async function ensureImportedParticipants(
  db: Queryable,
  evaluationId: string,
  charterVersion: number,
  people: readonly { pseudonym: string; externalRef: string }[],
  scopes: readonly string[],
): Promise<Map<string, string>> {
  await db.query(
    `INSERT INTO participants (evaluation_id, pseudonym, external_ref, imported, assurance)
     SELECT $1, t.pseudonym, t.ref, true, 'imported' FROM unnest($2::text[], $3::text[]) AS t(pseudonym, ref)
     ON CONFLICT (evaluation_id, pseudonym) WHERE imported DO NOTHING`,
    [evaluationId, people.map((p) => p.pseudonym), people.map((p) => p.externalRef)],
  );
  const { rows } = await db.query<{ id: string; pseudonym: string }>(
    "SELECT id, pseudonym FROM participants WHERE evaluation_id = $1 AND imported AND pseudonym = ANY($2::text[])",
    [evaluationId, people.map((p) => p.pseudonym)],
  );
  const ids = rows.map((r) => r.id);
  await db.query(
    `WITH granted AS (
       INSERT INTO consents (participant_id, evaluation_id, charter_version, scopes)
       SELECT id, $1, $2, $3 FROM unnest($4::uuid[]) AS id
       ON CONFLICT (participant_id) DO NOTHING RETURNING participant_id)
     INSERT INTO consent_events (participant_id, evaluation_id, charter_version, change, scopes, granted, revoked)
     SELECT participant_id, $1, $2, 'grant', $3, $3, '{}' FROM granted`,
    [evaluationId, charterVersion, scopes, ids],
  );
  return new Map(rows.map((r) => [r.pseudonym, r.id]));
}

const CHUNK = 10_000;

/**
 * Items by external reference, in one statement per 10,000: created (the last row of a reference wins), or,
 * when one exists already, kept as it is (its prompt is never rewritten). Returns id by reference.
 */
export async function upsertItemsBulk(
  db: Queryable,
  evaluationId: string,
  items: readonly { ref: string; title?: string; prompt: string; scenario?: Record<string, unknown> }[],
): Promise<Map<string, string>> {
  const byRef = new Map(items.map((item) => [item.ref, item]));
  const rows = [...byRef.values()];
  const ids = new Map<string, string>();
  for (let start = 0; start < rows.length; start += CHUNK) {
    const part = rows.slice(start, start + CHUNK);
    const result = await db.query<{ id: string; external_ref: string }>(
      `INSERT INTO items (evaluation_id, external_ref, title, prompt, scenario)
       SELECT $1, t.ref, t.title, t.prompt, t.scenario::jsonb FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(ref, title, prompt, scenario)
       ON CONFLICT (evaluation_id, external_ref) DO UPDATE SET external_ref = items.external_ref
       RETURNING id, external_ref`,
      [evaluationId, part.map((i) => i.ref), part.map((i) => i.title ?? ""), part.map((i) => i.prompt), part.map((i) => (i.scenario ? JSON.stringify(i.scenario) : null))],
    );
    for (const row of result.rows) ids.set(row.external_ref, row.id);
  }
  return ids;
}

/** Subjects by name, created if missing (an existing subject is kept as it is). Returns id and organisation by name. */
export async function ensureSubjectsBulk(
  db: Queryable,
  evaluationId: string,
  subjects: readonly { name: string; kind: string; organisation: string | null }[],
): Promise<Map<string, { id: string; organisation: string | null }>> {
  await db.query(
    `INSERT INTO subjects (evaluation_id, name, kind, organisation)
     SELECT $1, t.name, t.kind, t.organisation FROM unnest($2::text[], $3::text[], $4::text[]) AS t(name, kind, organisation)
     ON CONFLICT (evaluation_id, name) DO NOTHING`,
    [evaluationId, subjects.map((s) => s.name), subjects.map((s) => s.kind), subjects.map((s) => s.organisation)],
  );
  const { rows } = await db.query<{ id: string; name: string; organisation: string | null }>(
    "SELECT id, name, organisation FROM subjects WHERE evaluation_id = $1 AND name = ANY($2::text[])",
    [evaluationId, subjects.map((s) => s.name)],
  );
  return new Map(rows.map((r) => [r.name, { id: r.id, organisation: r.organisation }]));
}

export interface BulkResponse {
  itemId: string;
  subjectId: string;
  text: string;
  meta: Record<string, unknown>;
  identityLeak: string[] | null;
}

/**
 * Responses in multi-row statements (10,000 rows each): an (item, subject) that already has a response
 * keeps it, as does the first of repeated rows. Returns the id of every (item, subject) asked for.
 *
 * `complete` finishes a row (e.g. its identity-leak check) just before its chunk is sent, so that this work
 * for the next chunk overlaps PostgreSQL's insert of the current one. New rows' ids come back from the insert
 * itself; only rows that already existed are looked up afterwards.
 */
export async function insertResponsesBulk<R extends Omit<BulkResponse, "identityLeak">>(
  db: Queryable,
  evaluationId: string,
  responses: readonly R[],
  complete: (row: R) => BulkResponse = (row) => ({ identityLeak: null, ...row }),
): Promise<Map<string, string>> {
  const key = (itemId: string, subjectId: string) => `${itemId}|${subjectId}`;
  const first = new Map<string, R>();
  for (const r of responses) if (!first.has(key(r.itemId, r.subjectId))) first.set(key(r.itemId, r.subjectId), r);
  const rows = [...first.values()];
  const ids = new Map<string, string>();
  // Built in slices, yielding between them, so that the socket keeps sending the chunk in flight meanwhile.
  const chunkValues = async (start: number) => {
    const part: BulkResponse[] = [];
    for (let s = start; s < Math.min(start + CHUNK, rows.length); s += 1000) {
      await new Promise((resolve) => setImmediate(resolve));
      for (const row of rows.slice(s, Math.min(s + 1000, start + CHUNK))) part.push(complete(row));
    }
    return [
      evaluationId,
      part.map((r) => r.itemId),
      part.map((r) => r.subjectId),
      part.map((r) => r.text),
      part.map((r) => JSON.stringify(r.meta)),
      part.map((r) => (r.identityLeak ? JSON.stringify(r.identityLeak) : null)),
    ];
  };
  let values = rows.length > 0 ? await chunkValues(0) : null;
  for (let start = 0; values; start += CHUNK) {
    const inserting = db.query<{ id: string; item_id: string; subject_id: string }>(
      `INSERT INTO responses (evaluation_id, item_id, subject_id, text, meta, identity_leak)
       SELECT $1, t.item_id, t.subject_id, t.text, t.meta::jsonb,
              CASE WHEN t.leak IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(t.leak::jsonb)) END
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(item_id, subject_id, text, meta, leak, n)
        ORDER BY t.n
       ON CONFLICT (item_id, subject_id) DO NOTHING
       RETURNING id, item_id, subject_id`,
      values,
    );
    // Prepared while PostgreSQL inserts the current chunk.
    const next = start + CHUNK < rows.length ? chunkValues(start + CHUNK) : null;
    const [inserted, nextValues] = await Promise.all([inserting, next]);
    values = nextValues;
    for (const row of inserted.rows) ids.set(key(row.item_id, row.subject_id), row.id);
  }
  const existing = [...new Set(rows.filter((r) => !ids.has(key(r.itemId, r.subjectId))).map((r) => r.itemId))];
  for (let start = 0; start < existing.length; start += CHUNK) {
    const { rows: found } = await db.query<{ id: string; item_id: string; subject_id: string }>(
      "SELECT id, item_id, subject_id FROM responses WHERE evaluation_id = $1 AND item_id = ANY($2::uuid[])",
      [evaluationId, existing.slice(start, start + CHUNK)],
    );
    for (const row of found) if (first.has(key(row.item_id, row.subject_id))) ids.set(key(row.item_id, row.subject_id), row.id);
  }
  return ids;
}
