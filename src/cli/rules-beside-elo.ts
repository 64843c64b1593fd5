/**
 * runRules for the CLI on a machine of two cores: Elo's order check (its replays of every judgment in
 * random orders) and the counting rules on the results worker thread while this thread computes
 * Bradley–Terry. The same
 * results in the same order as runRules, since each rule depends only on the input, its options and the seed.
 */
import { runRules, type RunOptions } from "../analytics/results/run.ts";
import { ResultsError, RULE_NAMES, type ResultsInput, type RuleResult } from "../analytics/results/types.ts";
import { runRulesOffThread } from "../modules/results/rules-thread.ts";

/** Below this many judgments Elo's replays cost less than starting a thread. */
const THREAD_FROM_JUDGMENTS = 200_000;

export async function runRulesBesideElo(input: ResultsInput, options: RunOptions): Promise<RuleResult[]> {
  const rules = options.rules ?? RULE_NAMES;
  if (!worthAThread(input, rules)) return runRules(input, options);
  // Bradley–Terry's bootstrap, the longest, stays here; Elo and the quick counting rules go to the thread.
  const here = rules.includes("bt") ? rules.filter((rule) => rule === "bt") : rules.filter((rule) => rule !== "elo");
  const there = runRulesOffThread(input, { ...options, rules: rules.filter((rule) => !here.includes(rule)) });
  try {
    const local = runRules(input, { ...options, rules: here });
    const remote = await there;
    let nextLocal = 0;
    let nextRemote = 0;
    return rules.map((rule) => (here.includes(rule) ? local[nextLocal++] : remote[nextRemote++]) as RuleResult);
  } catch (error) {
    there.catch(() => undefined);
    // A refusal (a bad option, an unjudged anchor; the thread sends them back as ResultsError): the plain run
    // throws the same error as before, the first in the rules' order. Refusals come before any computation.
    // Anything else is a fault, not to be hidden behind a second full run.
    if (!(error instanceof ResultsError)) throw error;
    return runRules(input, options);
  }
}

/**
 * Only where Elo is asked beside another rule, over many judgments given as counts or typed arrays:
 * individual comparisons (a FastChat dump) would be copied to the thread object by object.
 */
function worthAThread(input: ResultsInput, rules: readonly string[]): boolean {
  if (!rules.includes("elo") || rules.every((rule) => rule === "elo")) return false;
  if ((input.comparisons?.length ?? 0) > 0 || (input.rankings?.length ?? 0) > 0) return false;
  const judgments = input.sequence?.a.length || input.pairs.reduce((sum, row) => sum + row.winsA + row.winsB + row.ties + row.bothBad, 0);
  return judgments >= THREAD_FROM_JUDGMENTS;
}
