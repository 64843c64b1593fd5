/** runRules: every requested rule on one input, side by side, each naming its parameters and assumption. */
import { runBradleyTerry } from "./bt-rule.ts";
import type { Anchor } from "./bt-rule.ts";
import { runElo } from "./elo-rule.ts";
import { requireSubjects } from "./pairs.ts";
import { runBorda, runCounting, runRankedPairs, runWinRate } from "./simple-rules.ts";
import { BT_INTERVAL_METHODS, RULE_NAMES, ResultsError } from "./types.ts";
import type { BtIntervalMethod, ResultsInput, RuleName, RuleResult } from "./types.ts";

export interface RunOptions {
  /** default: every rule */
  readonly rules?: readonly string[];
  readonly anchor?: Anchor;
  /** bootstrap rounds for Bradley–Terry (default 1000) */
  readonly rounds?: number;
  /** how Bradley–Terry gets its intervals: "bootstrap" (default) or "sandwich" (closed form; ignores rounds and seed) */
  readonly intervals?: BtIntervalMethod;
  /** random orders for Elo's order dependence (default 100; 10 above 200,000 judgments, as each order replays them all) */
  readonly permutations?: number;
  readonly seed?: number;
}

export function isRuleName(value: string): value is RuleName {
  return (RULE_NAMES as readonly string[]).includes(value);
}

export function runRules(input: ResultsInput, options: RunOptions = {}): RuleResult[] {
  const rules = (options.rules ?? RULE_NAMES).map((rule) => {
    if (!isRuleName(rule)) throw new ResultsError("unknown_rule", `unknown rule "${rule}"; expected one of ${RULE_NAMES.join(", ")}`);
    return rule;
  });
  const rounds = nonNegativeInteger("rounds", options.rounds ?? 1000);
  const permutations = nonNegativeInteger("permutations", options.permutations ?? defaultPermutations(input));
  const seed = options.seed ?? 0;
  const intervals = btIntervalMethod(options.intervals ?? "bootstrap");
  if (!Number.isInteger(seed)) throw new ResultsError("invalid_input", `the seed must be an integer; got ${seed}`);
  requireSubjects(input.subjects);
  if (options.anchor && !input.subjects.includes(options.anchor.name)) {
    throw new ResultsError("unknown_anchor", `the anchor "${options.anchor.name}" names no subject`);
  }
  const anchor = options.anchor ? { anchor: options.anchor } : {};
  return rules.map((rule) => {
    switch (rule) {
      case "bt":
        return runBradleyTerry(input, { ...anchor, rounds, seed, intervals });
      case "elo":
        return runElo(input, { ...anchor, permutations, seed });
      case "borda":
        return runBorda(input);
      case "ranked-pairs":
        return runRankedPairs(input);
      case "win-rate":
        return runWinRate(input);
      case "counting":
        return runCounting(input);
    }
  });
}

function btIntervalMethod(value: string): BtIntervalMethod {
  const method = BT_INTERVAL_METHODS.find((known) => known === value);
  if (!method) throw new ResultsError("invalid_input", `intervals must be one of ${BT_INTERVAL_METHODS.join(", ")}; got "${value}"`);
  return method;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new ResultsError("invalid_input", `${name} must be a non-negative integer; got ${value}`);
  return value;
}

function defaultPermutations(input: ResultsInput): number {
  const judgments = input.sequence?.a.length ?? input.comparisons?.length ?? input.pairs.reduce((sum, r) => sum + r.winsA + r.winsB + r.ties + r.bothBad, 0);
  return judgments > 200_000 ? 10 : 100;
}
