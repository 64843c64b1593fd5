/** Results: every rule side by side, with intervals, sensitivity, agreement, dissent shares and group views. */
import { z } from "zod";
import { BOARDS } from "../core/charter.ts";
import { EVALUATION_STATUSES } from "../core/evaluation.ts";
import { countedReason } from "./common.ts";
import { resultsSummary } from "./results-summary.ts";
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

/* ---- beyond Arena: boards per slice, bridging, the cost to manipulate a rank, vote anomalies ---- */

const namedScore = z.object({ name: z.string(), score: z.number() });
const cappedComparison = orderComparison;

export const sliceDimensionView = z.object({
  dimension: z.enum(["useCase", "language", "tag", "community"]),
  slices: z.array(z.object({ key: z.string(), contributors: z.number(), board: ruleResult.nullable(), warnings: z.array(z.string()).readonly(), vsOverall: cappedComparison.nullable() })).readonly(),
  /** slices with fewer than k contributors, or hidden so that they cannot be recovered from the others */
  hiddenSlices: z.number(),
  suppressed: suppressed.nullable(),
  flips: z.array(cappedComparison.extend({ slices: z.tuple([z.string(), z.string()]).readonly() })).readonly(),
});

export const bridgingView = z.object({
  source: z.literal("judgments"),
  /** groups found, sizes only (never members); groups below k are not listed */
  groups: z.array(z.object({ id: z.number(), participants: z.number() })).readonly(),
  hiddenGroups: z.number(),
  unclustered: z.number().nullable(),
  suppressed: suppressed.nullable(),
  board: z
    .object({
      method: z.string(),
      assumption: z.string(),
      parameters: z.record(z.string(), z.union([z.string(), z.number()])),
      subjects: z.array(subjectResult).readonly(),
      weakest: z.array(namedScore).readonly(),
      groupBoards: z.array(z.array(namedScore).readonly()).readonly(),
    })
    .nullable(),
  vsBt: cappedComparison.nullable(),
  reason: z.string().nullable(),
});

const swapCost = z.object({ upper: z.string(), lower: z.string(), votes: z.number().nullable() });
export const manipulationView = z.object({ method: z.string(), assumption: z.string(), maxVotes: z.number(), pairs: z.array(swapCost).readonly(), intoTopTier: swapCost.nullable() });

export const ANOMALY_REASONS = ["sequential_outlier", "identity_leak", "invitation_burst"] as const;
export const anomaliesView = z.object({
  parameters: z.object({ test: z.string(), alpha: z.number(), minVotes: z.number(), burst: z.string(), identityLeak: z.string() }),
  note: z.string(),
  votesAvailable: z.boolean(),
  votesMissing: z.string().optional(),
  /** participants tested (null when fewer than k, for readers who are not organisers) */
  tested: z.number().nullable(),
  counts: z.object({ sequentialOutlier: z.number().nullable(), sequentialOutlierWithinGroup: z.number().nullable(), identityLeak: z.number().nullable(), invitationBurst: z.number().nullable(), any: z.number().nullable() }),
  suppressed: suppressed.optional(),
  /** organisers only (null for everyone else): flagged participants by pseudonym */
  flagged: z
    .array(z.object({ participant: z.string(), reasons: z.array(z.enum(ANOMALY_REASONS)).readonly(), decisiveVotes: z.number().nullable(), crossedAt: z.number().nullable(), alsoWithinGroup: z.boolean().nullable(), leakVotes: z.number(), burstJoins: z.number().nullable() }))
    .readonly()
    .nullable(),
  /** Bradley–Terry without the flagged participants; public only when at least k were flagged */
  boardWithout: ruleResult.nullable(),
  boardWithoutSuppressed: suppressed.optional(),
});

export const beyondArena = z.object({
  categories: z.array(sliceDimensionView).readonly(),
  bridging: bridgingView,
  manipulation: manipulationView.nullable(),
  anomalies: anomaliesView,
});

/**
 * The headline board (the rules above) and the other one beside it: blind votes (each battle's first vote, cast
 * before the reveal) and revised votes (as they stand after the revise phase), with the change between them.
 */
export const boards = z.object({
  headline: z.enum(BOARDS),
  revisions: z.object({ judgments: z.number().nullable(), people: z.number().nullable(), suppressed: suppressed.optional() }),
  /** no counted vote was revised: both boards are the headline board */
  identical: z.boolean(),
  other: z.object({ board: z.enum(BOARDS), rule: ruleResult }).nullable(),
  /** τ-b between the two Bradley–Terry orders; `first` in a flipped pair leads on the other board */
  change: orderComparison.extend({ moved: z.array(z.object({ name: z.string(), headlineRank: z.number(), otherRank: z.number() })).readonly() }).nullable(),
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
  summary: resultsSummary,
  consent: z.string(),
  kAnonymity: z.number(),
  /** which votes the rules below count (the charter's headline board) */
  board: z.enum(BOARDS),
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
  boards,
  /** boards per slice, bridging, the cost to manipulate a rank, vote anomalies; null when pairwise votes are hidden (below k) */
  beyondArena: beyondArena.nullable(),
  /** null unless asked for; `result` null with `suppressed` below k, or with `reason` when it cannot be computed */
  styleControl: z.object({ result: styleControlResult.nullable(), suppressed: suppressed.optional(), reason: z.string().nullable() }).nullable(),
});
