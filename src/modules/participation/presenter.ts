/** Participation rows as the API answers them: camelCase, scopes narrowed to the known consent scopes. */
import type { z } from "zod";
import type * as api from "../../contract/participation.ts";
import { CONSENT_SCOPES, type ConsentScope } from "../../core/consent.ts";
import type { ConsentRow, ParticipantRow } from "../../platform/records.ts";
import type { ConsentEventRow } from "./queries.ts";

type In<T extends z.ZodType> = z.input<T>;

const isScope = (scope: string): scope is ConsentScope => (CONSENT_SCOPES as readonly string[]).includes(scope);
export const scopesOf = (scopes: readonly string[]): ConsentScope[] => scopes.filter(isScope);

export function presentParticipant(row: ParticipantRow): In<typeof api.participant> {
  return { id: row.id, evaluationId: row.evaluation_id, userId: row.user_id, pseudonym: row.pseudonym, communities: row.communities, joinedAt: row.joined_at, assurance: row.assurance };
}

export function presentConsent(row: ConsentRow): NonNullable<In<typeof api.me>["consent"]> {
  return { participantId: row.participant_id, charterVersion: row.charter_version, scopes: scopesOf(row.scopes), updatedAt: row.updated_at };
}

export function presentConsentEvent(row: ConsentEventRow): In<typeof api.consentEvent> {
  return { id: row.id, charterVersion: row.charter_version, change: row.change, scopes: scopesOf(row.scopes), granted: scopesOf(row.granted), revoked: scopesOf(row.revoked), at: row.at };
}

export function presentMe(me: { participant: ParticipantRow; consent: ConsentRow | null; history: ConsentEventRow[] }): In<typeof api.me> {
  return { participant: presentParticipant(me.participant), consent: me.consent ? presentConsent(me.consent) : null, history: me.history.map(presentConsentEvent) };
}

export function presentConsentChange<T extends { revoked: readonly string[] }>(change: T): Omit<T, "revoked"> & { revoked: ConsentScope[] } {
  return { ...change, revoked: scopesOf(change.revoked) };
}
