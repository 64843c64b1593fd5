/**
 * Invitation links. A link is either personal (single use: one person, e.g. one of a closed group's links
 * made in bulk) or open (several uses: anyone holding it). Every link has a finite number of uses unless an
 * operator made it otherwise (the demo's), may expire, and may be revoked by an organiser. A link that is
 * unknown, revoked, expired or used up admits nobody and creates nothing.
 */
export const DEFAULT_MAX_USES = 100;
export const MAX_BATCH_LINKS = 1000;

export interface InvitationState {
  readonly maxUses: number | null;
  readonly uses: number;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

export type InvitationRefusal = "unknown" | "revoked" | "expired" | "used_up";

export function checkInvitation(invitation: InvitationState | undefined, now: Date): { readonly ok: true } | { readonly ok: false; readonly reason: InvitationRefusal } {
  if (!invitation) return { ok: false, reason: "unknown" };
  if (invitation.revokedAt) return { ok: false, reason: "revoked" };
  if (invitation.expiresAt && invitation.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  if (invitation.maxUses !== null && invitation.uses >= invitation.maxUses) return { ok: false, reason: "used_up" };
  return { ok: true };
}

export const INVITATION_REFUSALS: Readonly<Record<InvitationRefusal, string>> = {
  unknown: "this invitation link is unknown",
  revoked: "this invitation link was revoked by the organisers",
  expired: "this invitation link has expired",
  used_up: "this invitation link has been used as many times as it allows",
};

/** Uses left (null: unlimited). */
export function usesLeft(invitation: Pick<InvitationState, "maxUses" | "uses">): number | null {
  return invitation.maxUses === null ? null : Math.max(0, invitation.maxUses - invitation.uses);
}

/** A single-use link is personal; any other is open. */
export function invitationKind(maxUses: number | null): "personal" | "open" {
  return maxUses === 1 ? "personal" : "open";
}
