/** The rules without resampling: counting, average win rate, Borda, ranked pairs. */
import { bordaScores, pairwiseBordaScores } from "./borda.ts";
import { rankedPairsScores, tallyFromBallots, tallyFromPairs } from "./ranked-pairs.ts";
import { baseResult, ruleContext, scoredSubjects } from "./rule-result.ts";
import type { ResultsInput, RuleResult } from "./types.ts";
import { averageWinRates, countingScores, winRateMatrix } from "./win-rate.ts";

export const ASSUMPTIONS = {
  counting: "Every judgment is worth the same and opponents are comparable: a subject that met harder opponents, or more of them, is not corrected for.",
  winRate: "Every opponent a subject met counts equally, however many times they met; opponents are comparable.",
  borda: "Positions in a ranking measure intensity: the distance between first and second is worth as much as between any two neighbours.",
  rankedPairs: "Majority preference decides: a pair is ordered by how many judgments prefer one side, strongest majorities first; cycles are broken by discarding the weakest majority.",
} as const;

export function runCounting(input: ResultsInput): RuleResult {
  const context = ruleContext(input);
  return {
    rule: "counting",
    parameters: { score: "wins, ties and both_bad half a win each side" },
    assumption: ASSUMPTIONS.counting,
    ...baseResult(context),
    subjects: scoredSubjects(context, countingScores(input.subjects.length, context.rows)),
  };
}

export function runWinRate(input: ResultsInput): RuleResult {
  const context = ruleContext(input);
  return {
    rule: "win-rate",
    parameters: { score: "mean over opponents met of the share of comparisons won", ties: "half a win each side" },
    assumption: ASSUMPTIONS.winRate,
    ...baseResult(context),
    subjects: scoredSubjects(context, averageWinRates(input.subjects.length, context.rows)),
  };
}

export function runBorda(input: ResultsInput): RuleResult {
  const context = ruleContext(input);
  const ballots = input.rankings ?? [];
  const onRankings = ballots.length > 0;
  const scores = onRankings ? bordaScores(input.subjects.length, ballots) : pairwiseBordaScores(winRateMatrix(input.subjects.length, context.rows));
  const warnings = onRankings ? context.warnings : [...context.warnings, "no rankings: Borda computed from pairwise win rates, one point per opponent met"];
  return {
    rule: "borda",
    parameters: onRankings
      ? { data: "rankings", points: "one per subject ranked below, half per subject tied" }
      : { data: "pairwise", points: "win rate against each opponent met, summed" },
    assumption: ASSUMPTIONS.borda,
    ...baseResult(context),
    ...(onRankings ? { used: ballots.length } : {}),
    warnings,
    subjects: scoredSubjects(context, scores),
  };
}

export function runRankedPairs(input: ResultsInput): RuleResult {
  const context = ruleContext(input);
  const ballots = input.rankings ?? [];
  const onRankings = ballots.length > 0;
  const tally = onRankings ? tallyFromBallots(input.subjects.length, ballots) : tallyFromPairs(input.subjects.length, context.rows);
  return {
    rule: "ranked-pairs",
    parameters: {
      data: onRankings ? "rankings" : "pairwise (majority margins; ties and both_bad express no preference)",
      order: "majorities locked by margin, then winning support; score = subjects placed below in the locked graph",
    },
    assumption: ASSUMPTIONS.rankedPairs,
    ...baseResult(context),
    ...(onRankings ? { used: ballots.length } : {}),
    subjects: scoredSubjects(context, rankedPairsScores(tally)),
  };
}
