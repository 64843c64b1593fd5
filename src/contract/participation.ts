/** Participation: joining, consent (current, history and the receipt) and communities. */
import { z } from "zod";
import { CONSENT_SCOPES } from "../core/consent.ts";
import { timestamp } from "./common.ts";

export const CONSENT_CHANGES = ["grant", "change", "revoke"] as const;

export const participant = z.object({
  id: z.string(),
  evaluationId: z.string(),
  userId: z.string().nullable(),
  pseudonym: z.string(),
  communities: z.array(z.string()),
  joinedAt: timestamp,
  /** how they joined, the identity assurance their ballots and signatures carry */
  assurance: z.enum(["open_link", "personal_link", "verified_account", "imported"]),
});
/** An organiser who follows an invitation stays organiser. */
/** What a usable invitation opens (a link that admits nobody is answered 410 invitation_invalid instead). */
export const invitationPreview = z.object({ evaluation: z.object({ id: z.string(), slug: z.string(), title: z.string() }), role: z.enum(["participant", "observer"]) });
export const joined = z.object({ evaluationId: z.string(), role: z.enum(["organiser", "observer", "participant"]), participant: participant.nullable() });

export const consentEvent = z.object({
  id: z.number(),
  charterVersion: z.number(),
  change: z.enum(CONSENT_CHANGES),
  scopes: z.array(z.enum(CONSENT_SCOPES)),
  granted: z.array(z.enum(CONSENT_SCOPES)),
  revoked: z.array(z.enum(CONSENT_SCOPES)),
  at: timestamp,
});
export const me = z.object({
  participant,
  consent: z.object({ participantId: z.string(), charterVersion: z.number(), scopes: z.array(z.enum(CONSENT_SCOPES)), updatedAt: timestamp }).nullable(),
  history: z.array(consentEvent),
});

export const consentChange = z.object({
  scopes: z.array(z.enum(CONSENT_SCOPES)),
  charterVersion: z.number(),
  granted: z.array(z.enum(CONSENT_SCOPES)),
  revoked: z.array(z.enum(CONSENT_SCOPES)),
});
export const communities = z.object({ communities: z.array(z.string()) });

/** A participant's downloadable record of what they consented to, hashed so it can be checked later. */
export const consentReceipt = z.object({
  receiptHash: z.string(),
  kind: z.string(),
  version: z.number(),
  issuedAt: z.string(),
  evaluation: z.object({ id: z.string(), slug: z.string(), title: z.string() }),
  participant: z.string(),
  charter: z.object({ version: z.number(), contentHash: z.string().nullable() }).nullable(),
  scopes: z.array(z.object({ scope: z.enum(CONSENT_SCOPES), meaning: z.string() })),
  events: z.array(
    z.object({
      change: z.enum(CONSENT_CHANGES),
      scopes: z.array(z.string()),
      granted: z.array(z.string()),
      revoked: z.array(z.string()),
      charterVersion: z.number(),
      charterContentHash: z.string().nullable(),
      at: z.string(),
    }),
  ),
});
