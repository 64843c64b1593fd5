import { z } from "zod";
import { charterSchema } from "../core/charter.ts";
import { CONSENT_SCOPES, EXPORT_SCOPES } from "../core/consent.ts";
import { EVALUATION_STATUSES, PHASES, SUBJECT_KINDS } from "../core/evaluation.ts";
import { CONTEST_TARGETS, PAIRWISE_OUTCOMES } from "../core/judgment.ts";
import { EXPORT_FORMATS } from "./exports.ts";

/** File uploads (imports) may be larger than ordinary requests (5 MiB). */
export const UPLOAD_LIMIT_BYTES = 100 * 1024 * 1024;

export const evaluationParams = z.strictObject({ id: z.string().min(1).max(200) });
export const uuid = z.uuid();

export const createEvaluationBody = z.strictObject({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lowercase letters, digits and dashes, 2 to 63 characters"),
  title: z.string().min(1).max(300),
  question: z.string().max(4000).optional(),
  charter: charterSchema,
});

export const stateBody = z
  .strictObject({ status: z.enum(EVALUATION_STATUSES).optional(), phase: z.enum(PHASES).optional() })
  .refine((b) => b.status !== undefined || b.phase !== undefined, { message: "give a status or a phase" });

/** What an organiser may attach to a subject, and the questions that place it in its setting. */
export const ARTIFACT_KINDS = ["text", "link", "transcript", "screenshot"] as const;
export const SUBJECT_CONTEXT_FIELDS = ["description", "users", "purpose", "affected"] as const;

const artifact = z.strictObject({
  kind: z.enum(ARTIFACT_KINDS),
  title: z.string().max(300).optional(),
  content: z.string().max(100_000).optional(),
  // http(s) only: a javascript: or data: link would run in whoever follows it from an API client or a future page
  url: z.url({ protocol: /^https?$/, error: "an http:// or https:// address" }).optional(),
});

export const subjectBody = z.strictObject({
  name: z.string().min(1).max(200),
  kind: z.enum(SUBJECT_KINDS),
  organisation: z.string().max(200).nullish(),
  context: z
    .strictObject({
      description: z.string().max(10_000).optional(),
      users: z.string().max(2000).optional(),
      purpose: z.string().max(2000).optional(),
      affected: z.string().max(2000).optional(),
    })
    .optional(),
  artifacts: z.array(artifact).max(50).optional(),
});

export const itemBody = z.strictObject({
  title: z.string().max(300).optional(),
  prompt: z.string().min(1),
  externalRef: z.string().max(200).optional(),
  scenario: z
    .strictObject({
      roles: z.array(z.string().max(300)).max(20).optional(),
      setting: z.string().max(4000).optional(),
      useCase: z.string().max(120).optional(),
      /** BCP 47 tag of the item's language; results give a board per language */
      language: z.string().max(35).optional(),
      /** free tags; results give a board per tag */
      tags: z.array(z.string().min(1).max(60)).max(20).optional(),
    })
    .optional(),
});

export const responseBody = z.strictObject({ itemId: uuid, subjectId: uuid, text: z.string().min(1).max(200_000) });

/** The roles an invitation can grant, the default first. */
export const INVITATION_ROLES = ["participant", "observer"] as const;

/** maxUses omitted or null: the default finite number of uses (core/invitation.ts DEFAULT_MAX_USES). */
export const invitationBody = z.strictObject({
  role: z.enum(INVITATION_ROLES).default("participant"),
  maxUses: z.number().int().min(1).max(1_000_000).nullish(),
  expiresAt: z.iso.datetime().nullish(),
});

/** Personal (single-use) links in bulk: at most 1000 per request. */
export const invitationBatchBody = z.strictObject({
  count: z.number().int().min(1).max(1000),
  role: z.enum(["participant", "observer"]).default("participant"),
  expiresAt: z.iso.datetime().nullish(),
});

export const joinBody = z.strictObject({ communities: z.array(z.string().min(1).max(80)).max(10).optional() }).optional();
export const consentBody = z.strictObject({ scopes: z.array(z.enum(CONSENT_SCOPES)).min(1) });
export const revokeBody = z.strictObject({ scopes: z.array(z.enum(CONSENT_SCOPES)).min(1).optional() }).optional();
export const communitiesBody = z.strictObject({ communities: z.array(z.string().min(1).max(80)).max(10) });
export const assignmentBody = z.strictObject({ mode: z.enum(["pairwise", "rating", "ranking"]).default("pairwise") });

const reason = z.string().trim().min(1, "give a reason");
export const judgmentSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("pairwise"), outcome: z.enum(PAIRWISE_OUTCOMES) }),
  z.strictObject({ kind: z.literal("rating"), scores: z.record(z.string(), z.number()) }),
  z.strictObject({ kind: z.literal("ranking"), order: z.array(z.array(z.string().min(1)).min(1)).min(2) }),
  z.strictObject({ kind: z.literal("abstention"), reason }),
  z.strictObject({ kind: z.literal("contest"), target: z.enum(CONTEST_TARGETS), reason }),
]);
export const judgmentBody = z.strictObject({ judgment: judgmentSchema, rationale: z.string().optional() });
export const itemJudgmentBody = z.strictObject({
  judgment: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("abstention"), reason }),
    z.strictObject({ kind: z.literal("contest"), target: z.enum(CONTEST_TARGETS), reason }),
  ]),
  rationale: z.string().optional(),
});

export const exportBody = z.strictObject({
  scope: z.enum(EXPORT_SCOPES),
  recipient: z.string().trim().min(1, "name the recipient").max(300),
  purpose: z.string().trim().min(1, "state the purpose").max(2000),
  format: z.enum(EXPORT_FORMATS).default("jsonl"),
  licence: z.string().regex(/^[a-z0-9][a-z0-9.+-]{0,63}$/, "a Hugging Face licence id, e.g. cc-by-4.0").optional(),
});

export const auditLogQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  before: z.coerce.number().int().min(1).optional(),
});
