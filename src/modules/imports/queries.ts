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
