/** The results kernels: pure, seeded, every result naming its rule, parameters and assumption. */
export { runRules, isRuleName } from "./run.ts";
export type { RunOptions } from "./run.ts";
export type { Anchor } from "./bt-rule.ts";
export { winComponents } from "./bt-rule.ts";
export { fitBradleyTerry, predictedWinProbabilities, toRating } from "./bt.ts";
export { onlineElo, eloOrderSpread, ELO_DEFAULTS } from "./elo.ts";
export { bordaScores } from "./borda.ts";
export { rankedPairsOrder, rankedPairsScores, tallyFromBallots, tallyFromPairs } from "./ranked-pairs.ts";
export { averageWinRates, countingScores, winRateMatrix } from "./win-rate.ts";
export { summariseRatings } from "./ratings.ts";
export { krippendorffAlpha } from "./krippendorff.ts";
export { outcomeShares } from "./shares.ts";
export { compareOrders, groupDivergence, ruleSensitivity, RULE_ASSUMPTIONS } from "./sensitivity.ts";
export { collapseComparisons, comparisonsFromRankings, withoutParticipants } from "./pairs.ts";
export { ResultsError, RULE_NAMES } from "./types.ts";
export type * from "./types.ts";
export { agreementWithPublished, denseRanks, mergedRanks } from "./groups.ts";
export type { GroupAgreement, GroupRule } from "./groups.ts";
