import { z } from "zod";
import { CONSENT_SCOPES } from "./consent.ts";

export const AGGREGATION_RULES = ["bt", "elo", "borda", "ranked-pairs", "win-rate", "mean-rating"] as const;
export const DECISION_METHODS = ["majority", "supermajority", "consent"] as const;
/** How sure the platform must be that one voice is one person before a ballot or signature counts (lowest first). */
export const IDENTITY_ASSURANCES = ["open_link", "personal_link", "verified_account"] as const;
export type IdentityAssurance = (typeof IDENTITY_ASSURANCES)[number];
/** The assurance a charter asks for when it names none (also for charters written before the field existed). */
export const DEFAULT_IDENTITY_ASSURANCE: IdentityAssurance = "personal_link";
/**
 * Which version of each vote a board counts. `blind`: the first vote on each battle, cast before its subjects
 * were revealed (Chatbot Arena counts only these); `revised`: each vote as it stands now, after any revision
 * made in the revise phase. The charter names the headline board; results always show the other beside it.
 */
export const BOARDS = ["blind", "revised"] as const;
export type Board = (typeof BOARDS)[number];
/** The headline when a charter names none (also for charters written before the field existed). */
export const DEFAULT_HEADLINE_BOARD: Board = "blind";

const rubricDimension = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "lowercase identifier"),
  label: z.string().min(1).max(120),
  description: z.string().max(1000).default(""),
  min: z.number().int().default(1),
  max: z.number().int().default(5),
  useCase: z.string().max(120).optional(),
});

/** A charter version's content. Every field has a default except purpose and sponsor. */
export const charterSchema = z.strictObject({
  purpose: z.string().min(1).max(4000),
  sponsor: z.string().min(1).max(200),
  beneficiaries: z.string().max(2000).default(""),
  scopes: z.array(z.enum(CONSENT_SCOPES)).min(1).default(["aggregate"]),
  pay: z
    .strictObject({
      ratePerHour: z.number().min(0).default(0),
      currency: z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code").default("USD"),
      volunteer: z.boolean().default(true),
    })
    .prefault({}),
  governance: z
    .strictObject({
      decisionMethod: z.enum(DECISION_METHODS).default("majority"),
      quorum: z.number().min(0).max(1).default(0.2),
      minorityReportSignatures: z.number().int().min(1).default(3),
      demandThreshold: z.number().min(0).max(1).default(0.1),
      demandAnswerDays: z.number().int().min(1).max(365).default(14),
      releaseRequiresApproval: z.boolean().default(false),
    })
    .prefault({}),
  rules: z.array(z.enum(AGGREGATION_RULES)).min(1).default(["bt", "elo", "borda", "ranked-pairs", "win-rate"]),
  rubric: z.array(rubricDimension).default([
    { name: "helpfulness", label: "Helpfulness", description: "", min: 1, max: 5 },
    { name: "harmlessness", label: "Harmlessness", description: "", min: 1, max: 5 },
  ]),
  kAnonymity: z.number().int().min(2).max(1000).default(10),
  languages: z.array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/)).min(1).default(["en"]),
  textLimits: z
    .strictObject({
      rationale: z.number().int().min(1).max(100_000).default(2000),
      prompt: z.number().int().min(1).max(100_000).default(4000),
      reason: z.number().int().min(1).max(100_000).default(2000),
      post: z.number().int().min(1).max(100_000).default(5000),
      statement: z.number().int().min(1).max(10_000).default(280),
    })
    .prefault({}),
  participantItems: z.enum(["off", "moderated", "open"]).default("off"),
  idleCapMinutes: z.number().int().min(1).max(240).default(10),
  /** live battles (participants' own prompts answered by live subjects) each cost the sponsor a call to two endpoints */
  liveBattles: z
    .strictObject({
      perParticipantPerDay: z.number().int().min(0).max(100_000).default(20),
      perEvaluationPerDay: z.number().int().min(0).max(10_000_000).default(1000),
    })
    .prefault({}),
  identityAssurance: z.enum(IDENTITY_ASSURANCES).default(DEFAULT_IDENTITY_ASSURANCE),
  headlineBoard: z.enum(BOARDS).default(DEFAULT_HEADLINE_BOARD),
});

/** The quotas that apply when a stored charter predates them. */
export const DEFAULT_LIVE_BATTLE_QUOTAS = { perParticipantPerDay: 20, perEvaluationPerDay: 1000 } as const;

export type CharterInput = z.input<typeof charterSchema>;
export type Charter = z.output<typeof charterSchema>;

export function parseCharter(input: unknown): Charter {
  return charterSchema.parse(input);
}

export type RubricDimension = Charter["rubric"][number];

/** The rubric that applies to an item: the general dimensions plus those written for the item's use case. */
export function applicableRubric(rubric: readonly RubricDimension[], useCase: string | null | undefined): RubricDimension[] {
  return rubric.filter((dimension) => dimension.useCase === undefined || dimension.useCase === useCase);
}
