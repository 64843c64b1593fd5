import type { Queryable } from "../../platform/db/pool.ts";
import type { IdentityAssurance } from "../../core/charter.ts";
import { PARTICIPANT_COLUMNS, type ParticipantRow } from "../../platform/records.ts";

export interface ConsentEventRow {
  id: number;
  charter_version: number;
  change: "grant" | "change" | "revoke";
  scopes: string[];
  granted: string[];
  revoked: string[];
  at: Date;
}

/**
 * A participant who joined (never an imported one). Undefined when the pseudonym is taken among joined
 * participants: the caller draws another (a taken pseudonym never hands over someone else's record).
 */
export async function insertParticipant(
  db: Queryable,
  p: { evaluationId: string; userId: string; pseudonym: string; communities: string[]; assurance: IdentityAssurance; invitationToken: string | null },
): Promise<ParticipantRow | undefined> {
  const { rows } = await db.query<ParticipantRow>(
    `INSERT INTO participants (evaluation_id, user_id, pseudonym, communities, assurance, invitation_token) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (evaluation_id, pseudonym) WHERE NOT imported DO NOTHING
     RETURNING ${PARTICIPANT_COLUMNS}`,
    [p.evaluationId, p.userId, p.pseudonym, p.communities, p.assurance, p.invitationToken],
  );
  return rows[0];
}

export async function updateCommunities(db: Queryable, participantId: string, communities: string[]): Promise<void> {
  await db.query("UPDATE participants SET communities = $2 WHERE id = $1", [participantId, communities]);
}

export async function writeConsent(
  db: Queryable,
  c: { participantId: string; evaluationId: string; charterVersion: number; scopes: string[]; change: ConsentEventRow["change"]; granted: string[]; revoked: string[] },
): Promise<void> {
  await db.query(
    `INSERT INTO consents (participant_id, evaluation_id, charter_version, scopes, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (participant_id) DO UPDATE SET charter_version = EXCLUDED.charter_version, scopes = EXCLUDED.scopes, updated_at = now()`,
    [c.participantId, c.evaluationId, c.charterVersion, c.scopes],
  );
  await db.query(
    "INSERT INTO consent_events (participant_id, evaluation_id, charter_version, change, scopes, granted, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [c.participantId, c.evaluationId, c.charterVersion, c.change, c.scopes, c.granted, c.revoked],
  );
}

export async function consentHistory(db: Queryable, participantId: string): Promise<ConsentEventRow[]> {
  const { rows } = await db.query<ConsentEventRow>(
    "SELECT id, charter_version, change, scopes, granted, revoked, at FROM consent_events WHERE participant_id = $1 ORDER BY id",
    [participantId],
  );
  return rows;
}

export interface InvitationRow {
  token: string;
  evaluation_id: string;
  role: "participant" | "observer";
  max_uses: number | null;
  uses: number;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

const INVITATION_COLUMNS = "token, evaluation_id, role, max_uses, uses, expires_at, revoked_at, created_at";

export async function insertInvitation(db: Queryable, inv: { token: string; evaluationId: string; role: InvitationRow["role"]; maxUses: number | null; expiresAt: Date | null }): Promise<InvitationRow> {
  const { rows } = await db.query<InvitationRow>(
    `INSERT INTO invitations (token, evaluation_id, role, max_uses, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${INVITATION_COLUMNS}`,
    [inv.token, inv.evaluationId, inv.role, inv.maxUses, inv.expiresAt],
  );
  return rows[0] as InvitationRow;
}

/** Many single-use links in one statement. */
export async function insertInvitations(db: Queryable, inv: { tokens: readonly string[]; evaluationId: string; role: InvitationRow["role"]; maxUses: number; expiresAt: Date | null }): Promise<InvitationRow[]> {
  const { rows } = await db.query<InvitationRow>(
    `INSERT INTO invitations (token, evaluation_id, role, max_uses, expires_at)
     SELECT t.token, $2, $3, $4, $5 FROM unnest($1::text[]) WITH ORDINALITY AS t(token, n) ORDER BY t.n RETURNING ${INVITATION_COLUMNS}`,
    [inv.tokens, inv.evaluationId, inv.role, inv.maxUses, inv.expiresAt],
  );
  return rows;
}

export async function findInvitation(db: Queryable, token: string): Promise<InvitationRow | undefined> {
  const { rows } = await db.query<InvitationRow>(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE token = $1`, [token]);
  return rows[0];
}

export async function lockInvitation(db: Queryable, token: string): Promise<InvitationRow | undefined> {
  const { rows } = await db.query<InvitationRow>(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE token = $1 FOR UPDATE`, [token]);
  return rows[0];
}

export async function listInvitations(db: Queryable, evaluationId: string): Promise<InvitationRow[]> {
  const { rows } = await db.query<InvitationRow>(`SELECT ${INVITATION_COLUMNS} FROM invitations WHERE evaluation_id = $1 ORDER BY created_at, token`, [evaluationId]);
  return rows;
}

/** Revokes a link (once); undefined when there is no such link in this evaluation. */
export async function revokeInvitation(db: Queryable, evaluationId: string, token: string, at: Date): Promise<InvitationRow | undefined> {
  const { rows } = await db.query<InvitationRow>(
    `UPDATE invitations SET revoked_at = COALESCE(revoked_at, $3) WHERE evaluation_id = $1 AND token = $2 RETURNING ${INVITATION_COLUMNS}`,
    [evaluationId, token, at],
  );
  return rows[0];
}

/**
 * Takes one use of a link, atomically: false when the link is revoked, expired or used up by the time this
 * runs (concurrent joins racing for the last use: exactly max_uses of them get true).
 */
export async function useInvitation(db: Queryable, token: string, now: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE invitations SET uses = uses + 1
      WHERE token = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2) AND (max_uses IS NULL OR uses < max_uses)`,
    [token, now],
  );
  return rowCount === 1;
}

export async function pseudonymsOf(db: Queryable, participantIds: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; pseudonym: string }>("SELECT id, pseudonym FROM participants WHERE id = ANY($1::uuid[])", [participantIds]);
  return new Map(rows.map((row) => [row.id, row.pseudonym]));
}
