/**
 * The cost to manipulate a rank: for each pair of neighbours on the Bradley–Terry board, the smallest number of
 * added votes in which the lower one beats the upper one that makes the refitted model put the lower one above;
 * and the same for the last subject against the weakest member of the top tier. Found by doubling then
 * bisection on the number of votes, each trial a full refit, so the answer is exact for this kind of attack.
 */
import { factoredHessian, type BtProblem } from "./bt.ts";
import { winComponents } from "./bt-rule.ts";
import { fitStrengths, problemFromRows, refitNear } from "./bt-problem.ts";
import type { PairRow } from "./types.ts";

export const MANIPULATION_ASSUMPTION =
  "An attacker adds decisive votes in which the lower subject beats the upper one directly, and the board is refitted by Bradley–Terry (point estimates). Other attacks (votes against third subjects, many accounts) can be cheaper or dearer; this is the cost of the plainest one.";

export interface SwapCost {
  readonly upper: string;
  readonly lower: string;
  /** added votes that swap the pair; null when more than `maxVotes` would be needed */
  readonly votes: number | null;
}

export interface ManipulationCosts {
  readonly method: string;
  readonly assumption: string;
  readonly maxVotes: number;
  /** neighbours on the board, best first */
  readonly pairs: readonly SwapCost[];
  /** the last subject lifted above the weakest member of the top tier (null when the last is in the top tier) */
  readonly intoTopTier: SwapCost | null;
}

export interface ManipulationOptions {
  /** names of the subjects ranked first by the published intervals (default: the best by point estimate) */
  readonly topTier?: readonly string[];
  /** the search stops here (default: 100 times the judgments, at least 10,000) */
  readonly maxVotes?: number;
}

/** Null when the subjects are not all on one scale (a disconnected board has no single order to attack). */
export function manipulationCosts(subjects: readonly string[], rows: readonly PairRow[], options: ManipulationOptions = {}): ManipulationCosts | null {
  const components = winComponents(subjects.length, rows);
  if (subjects.length < 2 || components.length !== 1 || components[0]?.length !== subjects.length) return null;
  const base = problemFromRows(subjects.length, rows);
  const mle = fitStrengths(base);
  if (!mle) return null;
  const judgments = rows.reduce((sum, row) => sum + row.winsA + row.winsB + row.ties + row.bothBad, 0);
  const maxVotes = options.maxVotes ?? Math.max(10_000, 100 * Math.ceil(judgments));
  const factor = factoredHessian(base, mle);
  const refit = (problem: BtProblem) => refitNear(problem, mle, factor);
  const order = subjects.map((_, i) => i).sort((x, y) => (mle[y] ?? 0) - (mle[x] ?? 0) || x - y);
  const cost = (upper: number, lower: number): SwapCost => ({
    upper: subjects[upper] ?? "",
    lower: subjects[lower] ?? "",
    votes: votesToSwap(base, mle, refit, upper, lower, maxVotes),
  });
  const pairs = order.slice(1).map((lower, k) => cost(order[k] ?? 0, lower));
  const last = order[order.length - 1] ?? 0;
  const tier = new Set(options.topTier ?? [subjects[order[0] ?? 0] ?? ""]);
  const weakestTop = [...order].reverse().find((i) => tier.has(subjects[i] ?? ""));
  const intoTopTier = weakestTop === undefined || tier.has(subjects[last] ?? "") ? null : cost(weakestTop, last);
  return { method: "doubling then bisection on the number of added votes, each trial a full Bradley–Terry refit", assumption: MANIPULATION_ASSUMPTION, maxVotes, pairs, intoTopTier };
}

/** The problem with `votes` more wins of `winner` over `loser` (one extra row, the last). */
export function withAddedVotes(problem: BtProblem, winner: number, loser: number, votes: number): BtProblem {
  const rows = problem.a.length;
  const grown = <T extends Int32Array | Float64Array>(column: T, last: number, empty: T): T => {
    empty.set(column);
    empty[rows] = last;
    return empty;
  };
  return {
    n: problem.n,
    a: grown(problem.a, winner, new Int32Array(rows + 1)),
    b: grown(problem.b, loser, new Int32Array(rows + 1)),
    winsA: grown(problem.winsA, votes, new Float64Array(rows + 1)),
    winsB: grown(problem.winsB, 0, new Float64Array(rows + 1)),
  };
}

/** Below this (log10 units, 4e-7 rating points) two strengths are a tie, not a swap: a fit's rounding is no attack. */
const SWAP_MARGIN = 1e-9;

type Refit = (problem: BtProblem) => Float64Array | null;

/**
 * Whether `lower` is strictly above `upper` after `votes` added wins of lower over upper. `attacked` is the
 * problem with the attack's row last, whose count each trial sets (one copy of the problem per pair, not per trial).
 */
function swaps(attacked: BtProblem, refit: Refit, upper: number, lower: number, votes: number): boolean {
  attacked.winsA[attacked.winsA.length - 1] = votes;
  const r = refit(attacked);
  return r !== null && (r[lower] ?? 0) - (r[upper] ?? 0) > SWAP_MARGIN;
}

function votesToSwap(base: BtProblem, mle: Float64Array, refit: Refit, upper: number, lower: number, maxVotes: number): number | null {
  if ((mle[lower] ?? 0) - (mle[upper] ?? 0) > SWAP_MARGIN) return 0;
  const problem = withAddedVotes(base, lower, upper, 0);
  let low = 0;
  let high = 1;
  while (!swaps(problem, refit, upper, lower, high)) {
    if (high >= maxVotes) return null;
    low = high;
    high = Math.min(2 * high, maxVotes);
  }
  // invariant: `low` votes do not swap the pair, `high` votes do
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (swaps(problem, refit, upper, lower, middle)) high = middle;
    else low = middle;
  }
  return high;
}
