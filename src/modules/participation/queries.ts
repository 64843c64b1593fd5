import type { Queryable } from "../../platform/db/pool.ts";
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

export async function insertParticipant(
  db: Queryable,
  p: { evaluationId: string; userId: string | null; pseudonym: string; communities: string[]; externalRef?: string | null },
): Promise<ParticipantRow> {
  const { rows } = await db.query<ParticipantRow>(
    `INSERT INTO participants (evaluation_id, user_id, pseudonym, communities, external_ref) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (evaluation_id, pseudonym) DO UPDATE SET communities = participants.communities
     RETURNING ${PARTICIPANT_COLUMNS}`,
    [p.evaluationId, p.userId, p.pseudonym, p.communities, p.externalRef ?? null],
  );
  return rows[0] as ParticipantRow;
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
}

export async function insertInvitation(db: Queryable, inv: { token: string; evaluationId: string; role: InvitationRow["role"]; maxUses: number | null; expiresAt: Date | null }): Promise<InvitationRow> {
  const { rows } = await db.query<InvitationRow>(
    "INSERT INTO invitations (token, evaluation_id, role, max_uses, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING token, evaluation_id, role, max_uses, uses, expires_at",
    [inv.token, inv.evaluationId, inv.role, inv.maxUses, inv.expiresAt],
  );
  return rows[0] as InvitationRow;
}

export async function lockInvitation(db: Queryable, token: string): Promise<InvitationRow | undefined> {
  const { rows } = await db.query<InvitationRow>(
    "SELECT token, evaluation_id, role, max_uses, uses, expires_at FROM invitations WHERE token = $1 FOR UPDATE",
    [token],
  );
  return rows[0];
}

export async function useInvitation(db: Queryable, token: string): Promise<void> {
  await db.query("UPDATE invitations SET uses = uses + 1 WHERE token = $1", [token]);
}

export async function pseudonymsOf(db: Queryable, participantIds: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; pseudonym: string }>("SELECT id, pseudonym FROM participants WHERE id = ANY($1::uuid[])", [participantIds]);
  return new Map(rows.map((row) => [row.id, row.pseudonym]));
}
