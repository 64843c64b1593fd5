/** The evaluation card: the published record of an evaluation (core/card.ts builds it; the Markdown form is a documented exception). */
import { z } from "zod";
import { DECISION_METHODS } from "../core/charter.ts";
import { CONSENT_SCOPES } from "../core/consent.ts";
import { DEMAND_PROGRESS } from "../core/dissent.ts";
import { PROPOSAL_KINDS } from "../core/governance.ts";
import { CONTEST_TARGETS } from "../core/judgment.ts";
import { countedReason, timestamp } from "./common.ts";
import { demandStatus, milestoneSummary } from "./dissent.ts";
import { REJECTION_REASONS, tally } from "./governance.ts";
import { suppressed } from "./results.ts";
export const cardCharterVersion = z.object({
  version: z.number(),
  adoptedAt: timestamp,
  summary: z.string(),
});

export const cardCharter = z.object({
  purpose: z.string(),
  sponsor: z.string(),
  beneficiaries: z.string(),
  versions: z.array(cardCharterVersion).readonly(),
});

export const countedGroup = z.object({
  key: z.string(),
  count: z.number(),
});

export const cardParticipation = z.object({
  participants: z.number(),
  judgments: z.number(),
  k: z.number(),
  communities: z.array(countedGroup).readonly(),
  communitiesHidden: z.number(),
});

export const cardRule = z.object({
  name: z.string(),
  version: z.string(),
  parameters: z.record(z.string(), z.union([z.boolean(), z.string(), z.number()])),
  assumption: z.string(),
});

export const cardInterval = z.object({
  lower: z.number(),
  upper: z.number(),
  level: z.number(),
  method: z.string(),
});

export const cardSubjectResult = z.object({
  subject: z.string(),
  estimate: z.number(),
  interval: cardInterval.nullable(),
  rank: z.number().nullable(),
});

export const cardRuleResult = z.object({
  rule: z.string(),
  slice: z.string(),
  used: z.number(),
  excluded: z.array(countedReason).readonly(),
  subjects: z.array(cardSubjectResult).readonly(),
});

export const cardRuleComparison = z.object({
  ruleA: z.string(),
  ruleB: z.string(),
  kendallTau: z.number(),
  flippedPairs: z.array(z.tuple([z.string(), z.string()]).readonly()).readonly(),
});

export const cardMinorityReport = z.object({
  title: z.string(),
  text: z.string(),
  signers: z.number(),
  publishedAt: timestamp,
});

export const cardDissent = z.object({
  /** null: fewer than k people abstained (no count is published) */
  abstentions: z.number().nullable(),
  abstentionReasons: z.array(countedReason).readonly(),
  contests: z.array(z.object({
      target: z.enum(CONTEST_TARGETS),
      count: z.number(),
    })).readonly(),
  minorityReports: z.array(cardMinorityReport).readonly(),
});

export const cardDemand = z.object({
  title: z.string(),
  endorsers: z.number(),
  status: demandStatus,
  answer: z.string().nullable(),
  progress: z.enum(DEMAND_PROGRESS),
  milestones: milestoneSummary,
});

export const cardDecision = z.object({
  title: z.string(),
  kind: z.enum(PROPOSAL_KINDS),
  method: z.enum(DECISION_METHODS),
  closedAt: timestamp,
  outcome: z.enum(["passed", "rejected"]),
  reason: z.enum(REJECTION_REASONS).nullable(),
  tally: tally,
});

export const cardConsent = z.object({
  participants: z.number(),
  scopes: z.array(z.object({
      scope: z.enum(CONSENT_SCOPES),
      granted: z.number(),
    })).readonly(),
  revocations: z.number(),
  withholding: z.union([z.object({
    active: z.literal(false),
  }), z.object({
    active: z.literal(true),
    since: timestamp,
    decision: z.string(),
  })]),
});

export const cardLabour = z.object({
  currency: z.string(),
  ratePerHour: z.number(),
  volunteer: z.boolean(),
  /** the totals, or null below k workers (then `suppressed` says so) */
  totals: z
    .object({
      workers: z.number(),
      hours: z.number(),
      cappedHours: z.number(),
      owedMinor: z.number(),
      paidMinor: z.number(),
      effectiveHourlyRate: z.number().nullable(),
      unpaidHours: z.number(),
      valueAtFloorMinor: z.number(),
    })
    .nullable(),
  suppressed: suppressed.nullable(),
});

export const cardExport = z.object({
  at: timestamp,
  format: z.string(),
  scope: z.string(),
  recipient: z.string(),
  rows: z.number(),
  excluded: z.array(countedReason).readonly(),
  contentHash: z.string(),
});

const cardSwapCost = z.object({ upper: z.string(), lower: z.string(), votes: z.number().nullable() });
export const cardManipulation = z.object({ assumption: z.string(), pairs: z.array(cardSwapCost).readonly(), intoTopTier: cardSwapCost.nullable() });
export const cardBridging = z.object({ assumption: z.string(), groupSizes: z.array(z.number()).readonly(), subjects: z.array(cardSubjectResult).readonly() });
export const cardOpinion = z.object({
  update: z.number(),
  computedAt: timestamp,
  votes: z.number(),
  groupCount: z.number(),
  groups: z.array(z.object({ id: z.number(), participants: z.number().nullable() })).readonly(),
});

export const evaluationCard = z.object({
  evaluationId: z.string(),
  title: z.string(),
  generatedAt: timestamp,
  charter: cardCharter,
  participation: cardParticipation,
  rules: z.array(cardRule).readonly(),
  summary: z.array(z.string()).readonly().optional(),
  results: z.array(cardRuleResult).readonly(),
  sensitivity: z.array(cardRuleComparison).readonly(),
  manipulation: cardManipulation.nullable().optional(),
  bridging: cardBridging.nullable().optional(),
  dissent: cardDissent,
  demands: z.array(cardDemand).readonly(),
  decisions: z.array(cardDecision).readonly(),
  consent: cardConsent,
  labour: cardLabour,
  exports: z.array(cardExport).readonly(),
  opinion: cardOpinion.nullable(),
});


/** JSON by default; `?format=markdown` answers the same card as text/markdown, which bypasses the serializer. */
export const cardResponse = z.union([z.object({ card: evaluationCard, notes: z.array(z.string()).readonly() }), z.string()]);
