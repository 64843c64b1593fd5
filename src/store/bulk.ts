import type { PairwiseOutcome } from "../domain/judgment.ts";
import type { Queryable } from "./db.ts";

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
