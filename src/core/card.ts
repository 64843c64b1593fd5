/**
 * The evaluation card: the published record of an evaluation (principle 7). This is the typed model the
 * Markdown renderer (connectors/exporters/card-markdown.ts) and the JSON card are made from.
 *
 * The model is built so that a renderer cannot break the charter's promises by accident: community
 * counts enter only through `participationSection`, which applies k-suppression; minority reports carry
 * their text verbatim; demands carry their computed status so overdue ones are flagged.
 */
import type { ConsentScope } from "./consent.ts";
import type { DemandProgress, DemandStatus, MilestoneSummary } from "./dissent.ts";
import type { DecisionMethod, ProposalKind, RejectionReason, Tally } from "./governance.ts";
import type { ContestTarget } from "./judgment.ts";
import { suppressSmallGroups, type CountedGroup, type SuppressionMarker } from "./k-anonymity.ts";

export interface CardCharterVersion {
  readonly version: number;
  readonly adoptedAt: Date;
  /** what changed, in plain language ("first version" for 1) */
  readonly summary: string;
}

export interface CardCharter {
  readonly purpose: string;
  readonly sponsor: string;
  readonly beneficiaries: string;
  readonly versions: readonly CardCharterVersion[];
}

export interface CardParticipation {
  readonly participants: number;
  readonly judgments: number;
  readonly k: number;
  /** self-described communities with at least k members (smaller ones never appear) */
  readonly communities: readonly CountedGroup[];
  /** how many communities were hidden for being below k */
  readonly communitiesHidden: number;
}

export interface CardRule {
  readonly name: string;
  readonly version: string;
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  /** the assumption the rule makes about people and their judgments, in plain language */
  readonly assumption: string;
}

export interface CardInterval {
  readonly lower: number;
  readonly upper: number;
  /** e.g. 0.95 */
  readonly level: number;
  /** e.g. "bootstrap percentile, 1000 resamples" */
  readonly method: string;
}

export interface CardSubjectResult {
  readonly subject: string;
  readonly estimate: number;
  readonly interval: CardInterval | null;
  readonly rank: number | null;
}

export interface CardExclusion {
  readonly reason: string;
  readonly count: number;
}

export interface CardRuleResult {
  /** `CardRule.name` of the rule applied */
  readonly rule: string;
  /** the data slice, e.g. "all participants" or a community above k */
  readonly slice: string;
  readonly used: number;
  readonly excluded: readonly CardExclusion[];
  readonly subjects: readonly CardSubjectResult[];
}

export interface CardRuleComparison {
  readonly ruleA: string;
  readonly ruleB: string;
  readonly kendallTau: number;
  /** subject pairs whose order differs between the two rules */
  readonly flippedPairs: readonly (readonly [string, string])[];
}

/** Added votes in which `lower` beats `upper` that would swap them on the refitted board (null: more than the search's cap). */
export interface CardSwapCost {
  readonly upper: string;
  readonly lower: string;
  readonly votes: number | null;
}

export interface CardManipulation {
  readonly assumption: string;
  /** neighbours on the Bradley–Terry board, best first */
  readonly pairs: readonly CardSwapCost[];
  /** the last subject lifted above the weakest member of the top tier */
  readonly intoTopTier: CardSwapCost | null;
}

/** The board across opinion groups, each group counting equally; groups by size only (those below k never appear). */
export interface CardBridging {
  readonly assumption: string;
  readonly groupSizes: readonly number[];
  readonly subjects: readonly CardSubjectResult[];
}

export interface CardMinorityReport {
  readonly title: string;
  /** published verbatim */
  readonly text: string;
  readonly signers: number;
  readonly publishedAt: Date;
}

export interface CardDissent {
  /** null: fewer than k people abstained (no count is published) */
  readonly abstentions: number | null;
  readonly abstentionReasons: readonly CardExclusion[];
  readonly contests: readonly { readonly target: ContestTarget; readonly count: number }[];
  readonly minorityReports: readonly CardMinorityReport[];
}

export interface CardDemand {
  readonly title: string;
  readonly endorsers: number;
  readonly status: DemandStatus;
  /** the sponsor's public answer, verbatim, when given */
  readonly answer: string | null;
  readonly progress: DemandProgress;
  readonly milestones: MilestoneSummary;
}

export interface CardDecision {
  readonly title: string;
  readonly kind: ProposalKind;
  readonly method: DecisionMethod;
  readonly closedAt: Date;
  readonly outcome: "passed" | "rejected";
  readonly reason: RejectionReason | null;
  readonly tally: Tally;
}

export interface CardConsent {
  readonly participants: number;
  /** participants currently granting each scope */
  readonly scopes: readonly { readonly scope: ConsentScope; readonly granted: number }[];
  readonly revocations: number;
  readonly withholding: { readonly active: false } | { readonly active: true; readonly since: Date; readonly decision: string };
}

export interface CardLabour {
  readonly currency: string;
  /** minor units per hour */
  readonly ratePerHour: number;
  readonly volunteer: boolean;
  /** null below k workers: the totals would be a few people's own hours and pay (`suppressed` says so) */
  readonly totals: CardLabourTotals | null;
  readonly suppressed: SuppressionMarker | null;
}

export interface CardLabourTotals {
  readonly workers: number;
  readonly hours: number;
  /** time not counted because of the idle cap, in hours */
  readonly cappedHours: number;
  readonly owedMinor: number;
  readonly paidMinor: number;
  /** minor units per hour actually paid; null when no time was worked */
  readonly effectiveHourlyRate: number | null;
  readonly unpaidHours: number;
  readonly valueAtFloorMinor: number;
}

export interface CardExport {
  readonly at: Date;
  readonly format: string;
  readonly scope: string;
  readonly recipient: string;
  readonly rows: number;
  readonly excluded: readonly CardExclusion[];
  readonly contentHash: string;
}

/** Which update of the opinion map the card reports (the map evolves: see analytics/opinion/update.ts). */
export interface CardOpinion {
  readonly update: number;
  readonly computedAt: Date;
  readonly votes: number;
  readonly groupCount: number;
  /** group sizes, null when hidden by k-suppression */
  readonly groups: readonly { readonly id: number; readonly participants: number | null }[];
}

export interface EvaluationCard {
  readonly evaluationId: string;
  readonly title: string;
  readonly generatedAt: Date;
  readonly charter: CardCharter;
  readonly participation: CardParticipation;
  readonly rules: readonly CardRule[];
  /** the results in plain words, the same sentences the results page and the CLI show */
  readonly summary?: readonly string[];
  readonly results: readonly CardRuleResult[];
  readonly sensitivity: readonly CardRuleComparison[];
  /** the cost to manipulate each rank (absent on cards made before it existed) */
  readonly manipulation?: CardManipulation | null;
  readonly bridging?: CardBridging | null;
  readonly dissent: CardDissent;
  readonly demands: readonly CardDemand[];
  readonly decisions: readonly CardDecision[];
  readonly consent: CardConsent;
  readonly labour: CardLabour;
  readonly exports: readonly CardExport[];
  /** null: no opinion map (too few voters, or none yet) */
  readonly opinion: CardOpinion | null;
}

export interface ParticipationInput {
  readonly participants: number;
  readonly judgments: number;
  readonly k: number;
  /** self-described communities (they may overlap; they are optional) */
  readonly communities: readonly CountedGroup[];
  /** participants in no community: one more group, so that the groups cover the published total */
  readonly withoutCommunity?: number;
}

const NO_COMMUNITY = "\u0000none";

/**
 * The participation section through the one suppression function: every community below k is removed (only their
 * number kept), and, as the total is published, complementary suppression keeps a hidden community from being
 * recovered by subtracting the visible ones from the total.
 */
export function participationSection(input: ParticipationInput): CardParticipation {
  const groups = [...input.communities, ...(input.withoutCommunity !== undefined ? [{ key: NO_COMMUNITY, count: input.withoutCommunity }] : [])];
  // with the remainder known the groups cover the total: guard against differencing; without it, they cannot be summed
  const { visible, suppressed } = suppressSmallGroups(groups, input.k, { partition: input.withoutCommunity !== undefined });
  return {
    participants: input.participants,
    judgments: input.judgments,
    k: input.k,
    communities: visible.filter((group) => group.key !== NO_COMMUNITY).map((group) => ({ key: group.key, count: group.count })),
    communitiesHidden: suppressed.filter((group) => group.key !== NO_COMMUNITY).length,
  };
}

/** Demands whose answer deadline has passed without an answer. */
export function overdueDemands(card: Pick<EvaluationCard, "demands">): CardDemand[] {
  return card.demands.filter((demand) => demand.status.status === "overdue");
}
