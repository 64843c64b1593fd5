/** The SQL behind slices and anomalies that the judgment snapshot does not carry: which dimensions exist, and invitation joins. */
import { SLICE_DIMENSIONS, type SliceDimension } from "../../analytics/results/slices.ts";
import { participantMayUseSql } from "../../platform/consent-sql.ts";
import type { Queryable } from "../../platform/db/pool.ts";

/** The dimensions some item or participant of the evaluation has (an index read, so absent ones cost no scan). */
export async function presentDimensions(db: Queryable, evaluationId: string): Promise<Set<SliceDimension>> {
  const { rows } = await db.query<Record<SliceDimension, boolean | null>>(
    `SELECT (SELECT bool_or(scenario ? 'useCase') FROM items WHERE evaluation_id = $1) AS "useCase",
            (SELECT bool_or(scenario ? 'language') FROM items WHERE evaluation_id = $1) AS language,
            (SELECT bool_or(scenario ? 'tags') FROM items WHERE evaluation_id = $1) AS tag,
            (SELECT bool_or(cardinality(communities) > 0) FROM participants WHERE evaluation_id = $1) AS community`,
    [evaluationId],
  );
  const row = rows[0];
  return new Set(SLICE_DIMENSIONS.filter((dimension) => row?.[dimension] === true));
}

const MAY_AGGREGATE = participantMayUseSql("c.scopes", "'aggregate'");

/**
 * Joins through shared (multi-use) invitations of people who contributed a counted judgment. The invitation is
 * named by its order of creation, never by its token (a token is a key to join).
 */
export async function invitationJoins(db: Queryable, evaluationId: string): Promise<{ pseudonym: string; invitation: string; joined_at: Date }[]> {
  const { rows } = await db.query<{ pseudonym: string; invitation: string; joined_at: Date }>(
    `SELECT p.pseudonym, 'invitation ' || dense_rank() OVER (ORDER BY i.created_at, i.token) AS invitation, p.joined_at
       FROM participants p JOIN invitations i ON i.token = p.invitation_token LEFT JOIN consents c ON c.participant_id = p.id
      WHERE p.evaluation_id = $1 AND (i.max_uses IS NULL OR i.max_uses > 1) AND ${MAY_AGGREGATE}
        AND EXISTS (SELECT 1 FROM judgments j WHERE j.participant_id = p.id AND j.is_current AND j.excluded_reason IS NULL)`,
    [evaluationId],
  );
  return rows;
}
