/** Results: every rule side by side, with intervals, sensitivity, agreement, dissent shares and group views. */
import { z } from "zod";
import { EVALUATION_STATUSES } from "../core/evaluation.ts";
import { countedReason } from "./common.ts";
import { rankMove, styleCoefficient } from "./style-control.ts";

export const RESULT_RULES = ["bt", "elo", "borda", "ranked-pairs", "win-rate", "counting"] as const;

export const subjectResult = z.object({ name: z.string(), score: z.number(), lower: z.number().nullable(), upper: z.number().nullable(), rank: z.number() });
export const ruleResult = z.object({
  rule: z.enum(RESULT_RULES),
  parameters: z.record(z.string(), z.union([z.boolean(), z.string(), z.number()]).nullable()),
  assumption: z.string(),
  used: z.number(),
  excluded: z.array(countedReason).readonly(),
  components: z.array(z.array(z.string()).readonly()).readonly(),
  warnings: z.array(z.string()).readonly(),
  subjects: z.array(subjectResult).readonly(),
});

/** Two orders compared: Kendall's τ-b over shared subjects, the first flipped pairs (at most 25) and how many flip in all. */
export const orderComparison = z.object({
  tau: z.number().nullable(),
  shared: z.number(),
  flipped: z.array(z.object({ first: z.string(), second: z.string() })).readonly(),
  flippedCount: z.number(),
});

export const ratingSummary = z.object({
  subject: z.string(),
  dimension: z.string(),
  count: z.number(),
  mean: z.number(),
  median: z.number(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
});

/** Why a figure is missing: never a count, only the threshold it did not reach. */
export const suppressed = z.object({ reason: z.enum(["fewer_than_k_contributors", "complementary_suppression"]), k: z.number() });

/** How often an item or subject met each outcome that is not a plain preference; null when hidden (below k). */
export const shareRow = z.object({
  key: z.string(),
  judgments: z.number().nullable(),
  tie: z.number().nullable(),
  bothBad: z.number().nullable(),
  abstention: z.number().nullable(),
  contest: z.number().nullable(),
  suppressed: suppressed.optional(),
});

/** Bradley–Terry with style covariates beside the raw board; asked for with `styleControl=true`. */
export const styleControlResult = z.object({
  rule: z.literal("bt-style-control"),
  parameters: ruleResult.shape.parameters,
  assumption: z.string(),
  used: z.number(),
  warnings: z.array(z.string()).readonly(),
  coefficients: z.array(styleCoefficient).readonly(),
  subjects: z.array(subjectResult).readonly(),
  raw: ruleResult,
  moves: z.array(rankMove).readonly(),
});

export const results = z.object({
  evaluation: z.object({ id: z.string(), slug: z.string(), title: z.string(), status: z.enum(EVALUATION_STATUSES) }),
  consent: z.string(),
  kAnonymity: z.number(),
  warnings: z.array(z.string()).readonly(),
  rules: z.array(ruleResult).readonly(),
  /** rules fed by fewer than k distinct people: named, never shown */
  suppressedRules: z.array(z.object({ rule: z.string(), suppressed })).readonly(),
  sensitivity: z.array(orderComparison.extend({ rules: z.tuple([z.string(), z.string()]).readonly() })).readonly(),
  matrices: z.object({
    subjects: z.array(z.string()).readonly(),
    observedWinRate: z.array(z.array(z.number().nullable()).readonly()).readonly().nullable(),
    predictedByBradleyTerry: z.array(z.array(z.number()).readonly()).readonly().nullable(),
    suppressed: suppressed.optional(),
  }),
  ratings: z.array(ratingSummary).readonly(),
  ratingsSuppressed: z.array(z.object({ subject: z.string(), dimension: z.string(), suppressed })).readonly(),
  ratingAssumption: z.string(),
  agreement: z.object({
    measure: z.string(),
    units: z.number(),
    alpha: z.number().nullable(),
    suppressed: suppressed.optional(),
    ratingsSuppressed: suppressed.optional(),
    ratings: z.array(z.object({ dimension: z.string(), units: z.number(), ordinal: z.number().nullable(), interval: z.number().nullable() })).readonly(),
  }),
  dissent: z.object({
    abstentions: z.number().nullable(),
    contests: z.number().nullable(),
    suppressed: suppressed.optional(),
    byItem: z.array(shareRow).readonly(),
    bySubject: z.array(shareRow).readonly(),
  }),
  excluded: z.array(z.object({ kind: z.string(), reason: z.string(), n: z.number().nullable(), suppressed: suppressed.optional() })).readonly(),
  groups: z
    .object({
      k: z.number(),
      suppressedGroups: z.number(),
      suppressed: suppressed.extend({ complementary: z.boolean() }).nullable(),
      groups: z.array(z.object({ community: z.string(), participants: z.number(), rules: z.array(ruleResult).readonly(), warnings: z.array(z.string()).readonly() })).readonly(),
      divergence: z.array(orderComparison.extend({ group: z.string() })).readonly(),
    })
    .nullable(),
  /** null unless asked for; `result` null with `suppressed` below k, or with `reason` when it cannot be computed */
  styleControl: z.object({ result: styleControlResult.nullable(), suppressed: suppressed.optional(), reason: z.string().nullable() }).nullable(),
});
