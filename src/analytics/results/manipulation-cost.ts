/**
 * The cost to manipulate a rank: for each pair of neighbours on the Bradley–Terry board, the smallest number of
 * added votes in which the lower one beats the upper one that makes the refitted model put the lower one above;
 * and the same for the last subject against the weakest member of the top tier.
 *
 * The answer is exact for this kind of attack: it is the smallest whole number of votes whose full refit swaps
 * the pair while one vote fewer does not, both checked by refits. Where to check comes from the continuous
 * threshold: the votes v* at which the refitted pair is exactly level, solved once as one system (the strengths
 * and v* together, chord Newton steps with a factored Hessian). The refits at ⌊v*⌋ + 1 and ⌊v*⌋ then nearly always
 * settle it; when they do not (or the threshold cannot be solved) the search gallops and bisects from there, as
 * the plain search by doubling and bisection from one vote would. Either way the votes needed grow with the
 * votes added (the refitted difference is monotone in them), which is what makes a bracket enough.
 */
import { btDerivatives, factoredHessian, type BtProblem } from "./bt.ts";
import { choleskySolve } from "./linalg.ts";
import { winComponents } from "./bt-rule.ts";
import { fitStrengths, problemFromRows, refitNear } from "./bt-problem.ts";
import type { PairRow } from "./types.ts";

export const MANIPULATION_ASSUMPTION =
  "An attacker adds decisive votes in which the lower subject beats the upper one directly, and the board is refitted by Bradley–Terry (point estimates). Other attacks (votes against third subjects, many accounts) can be cheaper or dearer; this is the cost of the plainest one.";

export const MANIPULATION_METHOD =
  "the smallest number of added votes whose full Bradley–Terry refit swaps the pair, one fewer checked not to: searched from the continuous threshold (the refitted pair level), by galloping then bisection when that guess is off";

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
  const solver = factor ? { base, mle, factor } : null;
  const order = subjects.map((_, i) => i).sort((x, y) => (mle[y] ?? 0) - (mle[x] ?? 0) || x - y);
  const cost = (upper: number, lower: number): SwapCost => ({
    upper: subjects[upper] ?? "",
    lower: subjects[lower] ?? "",
    votes: votesToSwap({ base, mle, refit, solver, upper, lower, maxVotes }),
  });
  const pairs = order.slice(1).map((lower, k) => cost(order[k] ?? 0, lower));
  const last = order[order.length - 1] ?? 0;
  const tier = new Set(options.topTier ?? [subjects[order[0] ?? 0] ?? ""]);
  const weakestTop = [...order].reverse().find((i) => tier.has(subjects[i] ?? ""));
  const intoTopTier = weakestTop === undefined || tier.has(subjects[last] ?? "") ? null : cost(weakestTop, last);
  return { method: MANIPULATION_METHOD, assumption: MANIPULATION_ASSUMPTION, maxVotes, pairs, intoTopTier };
}

/** Below this (log10 units, 4e-7 rating points) two strengths are a tie, not a swap: a fit's rounding is no attack. */
const SWAP_MARGIN = 1e-9;
const LN10 = Math.LN10;
/** The refits' and the threshold's convergence: the largest step, in log10 units (as refitNear). */
const TOLERANCE = 1e-12;
const MAX_ITERATIONS = 100;

type Refit = (problem: BtProblem) => Float64Array | null;

/** The base problem, its fit and factored Hessian there: what the threshold and the attacked refits start from. */
interface Solver {
  readonly base: BtProblem;
  readonly mle: Float64Array;
  readonly factor: Float64Array;
}

/** Past this strength (log10 units) 10^r could overflow: the gradient takes one exponential a row instead. */
const EXPONENTIAL_LIMIT = 100;

/**
 * The base loss's gradient into `gradient` (as btDerivatives), with p = E_a / (E_a + E_b), E_i = 10^r_i: one
 * exponential a subject instead of one a row (the refits below run thousands of these passes).
 */
function baseGradient(problem: BtProblem, r: Float64Array, gradient: Float64Array, powers: Float64Array): void {
  const n = problem.n;
  for (let i = 0; i < n; i++) {
    const value = r[i] ?? 0;
    if (!(Math.abs(value) < EXPONENTIAL_LIMIT)) {
      btDerivatives(problem, r, gradient);
      return;
    }
    powers[i] = Math.exp(LN10 * value);
  }
  gradient.fill(0);
  const { a, b, winsA, winsB } = problem;
  for (let k = 0; k < a.length; k++) {
    const i = a[k] as number;
    const j = b[k] as number;
    const ea = powers[i] as number;
    const wins = winsA[k] as number;
    const g = -LN10 * (wins - (wins + (winsB[k] as number)) * (ea / (ea + (powers[j] as number))));
    gradient[i] = (gradient[i] as number) + g;
    gradient[j] = (gradient[j] as number) - g;
  }
}

interface SwapSearch {
  readonly base: BtProblem;
  readonly mle: Float64Array;
  /** the plain refit of a problem with the attack's row, for when the attacked refit below does not converge */
  readonly refit: Refit;
  readonly solver: Solver | null;
  readonly upper: number;
  readonly lower: number;
  readonly maxVotes: number;
}

function votesToSwap(search: SwapSearch): number | null {
  const { base, mle, refit, solver, upper, lower, maxVotes } = search;
  if ((mle[lower] ?? 0) - (mle[upper] ?? 0) > SWAP_MARGIN) return 0;
  const threshold = solver ? levelThreshold(solver, lower, upper) : null;
  let problem: BtProblem | null = null;
  const swapsAt = (votes: number): boolean => {
    const r = threshold ? attackedRefit(solver as Solver, threshold, lower, upper, votes) : null;
    if (r) return (r[lower] ?? 0) - (r[upper] ?? 0) > SWAP_MARGIN;
    problem ??= withAddedVotes(base, lower, upper, 0);
    return swaps(problem, refit, upper, lower, votes);
  };
  const guess = threshold && Number.isFinite(threshold.votes) ? Math.floor(threshold.votes) + 1 : 1;
  return smallestSwap(swapsAt, Math.min(Math.max(guess, 1), maxVotes), maxVotes);
}

/**
 * The smallest v in 1..maxVotes with swapsAt(v) (0 votes are known not to swap), or null when maxVotes do not:
 * swapsAt is checked at the guess, then galloping (1, 2, 4, … votes away) to a bracket, then bisection. From a
 * guess of 1 this is doubling then bisection; from the right guess it is two refits (the guess and one fewer).
 */
export function smallestSwap(swapsAt: (votes: number) => boolean, guess: number, maxVotes: number): number | null {
  let low: number;
  let high: number;
  if (swapsAt(guess)) {
    high = guess;
    low = 0;
    for (let step = 1; high > 1; step *= 2) {
      const below = Math.max(high - step, 0);
      if (below === 0 || !swapsAt(below)) {
        low = below;
        break;
      }
      high = below;
    }
  } else {
    low = guess;
    high = guess;
    for (let step = 1; ; step *= 2) {
      if (low >= maxVotes) return null;
      const above = Math.min(low + step, maxVotes);
      if (swapsAt(above)) {
        high = above;
        break;
      }
      low = above;
    }
  }
  // invariant: `low` votes do not swap the pair, `high` votes do
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (swapsAt(middle)) high = middle;
    else low = middle;
  }
  return high;
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

/**
 * Whether `lower` is strictly above `upper` after `votes` added wins of lower over upper. `attacked` is the
 * problem with the attack's row last, whose count each trial sets (one copy of the problem per pair, not per trial).
 */
function swaps(attacked: BtProblem, refit: Refit, upper: number, lower: number, votes: number): boolean {
  attacked.winsA[attacked.winsA.length - 1] = votes;
  const r = refit(attacked);
  return r !== null && (r[lower] ?? 0) - (r[upper] ?? 0) > SWAP_MARGIN;
}

/** Where the pair is level: strengths r and continuous votes; with the factored Hessian near r and F⁻¹d. */
interface Threshold {
  readonly votes: number;
  readonly r: Float64Array;
  readonly factor: Float64Array;
  /** F⁻¹d, d = e_lower − e_upper, and dᵀF⁻¹d */
  readonly u: Float64Array;
  readonly du: number;
}

/**
 * The continuous votes v* at which the refit puts lower exactly SWAP_MARGIN above upper. With s = v·(1 − p), p the
 * refitted chance that lower beats upper, the attacked optimum solves ∇L(r) = ln10·s·d (L the base loss), and
 * the level point adds dᵀr = SWAP_MARGIN: one bordered system in (r, s), solved by chord steps with a factored
 * Hessian, refactored where the steps stop shrinking fast. v* = s / (1 − p(SWAP_MARGIN)). Null when it fails.
 */
function levelThreshold(solver: Solver, lower: number, upper: number): Threshold | null {
  const n = solver.base.n;
  let factor = solver.factor;
  const gradient = new Float64Array(n);
  const y = new Float64Array(n);
  const powers = new Float64Array(n);
  let u = new Float64Array(n);
  let du = 0;
  const solveD = (): boolean => {
    const d = new Float64Array(n);
    d[lower] = 1;
    d[upper] = -1;
    choleskySolve(factor, n, d, u);
    du = (u[lower] ?? 0) - (u[upper] ?? 0);
    return du > 0 && Number.isFinite(du);
  };
  if (!solveD()) return null;
  const r = Float64Array.from(solver.mle);
  let s = 0;
  let previous = Infinity;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    baseGradient(solver.base, r, gradient, powers);
    gradient[lower] = (gradient[lower] ?? 0) - LN10 * s;
    gradient[upper] = (gradient[upper] ?? 0) + LN10 * s;
    choleskySolve(factor, n, gradient, y);
    const gap = (r[lower] ?? 0) - (r[upper] ?? 0);
    const ds = (SWAP_MARGIN - gap + (y[lower] ?? 0) - (y[upper] ?? 0)) / (LN10 * du);
    let size = 0;
    for (let i = 0; i < n; i++) {
      const step = -(y[i] ?? 0) + LN10 * ds * (u[i] ?? 0);
      r[i] = (r[i] ?? 0) + step;
      size = Math.max(size, Math.abs(step));
    }
    s += ds;
    if (!Number.isFinite(size) || !Number.isFinite(s)) return null;
    if (size < TOLERANCE) {
      const p = 1 / (1 + Math.exp(-LN10 * SWAP_MARGIN));
      return { votes: s / (1 - p), r, factor, u, du };
    }
    // slow contraction: the Hessian has moved from where it was factored; refactor here
    if (size > 0.25 * previous) {
      const refactored = factoredHessian(solver.base, r);
      if (!refactored) return null;
      factor = refactored;
      u = new Float64Array(n);
      if (!solveD()) return null;
    }
    previous = size;
  }
  return null;
}

/**
 * The refit with `votes` added wins of lower over upper, from the level point: chord steps with the threshold's
 * factored Hessian plus the attack row's curvature there (Sherman–Morrison, a rank-one term along d). It stops at
 * the same maximum as a refit of the problem with the added row (the same loss); null when it does not converge.
 */
function attackedRefit(solver: Solver, threshold: Threshold, lower: number, upper: number, votes: number): Float64Array | null {
  const n = solver.base.n;
  const { factor, u, du } = threshold;
  const r = Float64Array.from(threshold.r);
  const gradient = new Float64Array(n);
  const x = new Float64Array(n);
  const powers = new Float64Array(n);
  const p0 = 1 / (1 + Math.exp(-LN10 * ((r[lower] ?? 0) - (r[upper] ?? 0))));
  const curvature = LN10 * LN10 * votes * p0 * (1 - p0);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    baseGradient(solver.base, r, gradient, powers);
    const p = 1 / (1 + Math.exp(-LN10 * ((r[lower] ?? 0) - (r[upper] ?? 0))));
    const attack = -LN10 * votes * (1 - p);
    gradient[lower] = (gradient[lower] ?? 0) + attack;
    gradient[upper] = (gradient[upper] ?? 0) - attack;
    choleskySolve(factor, n, gradient, x);
    const along = (curvature * ((x[lower] ?? 0) - (x[upper] ?? 0))) / (1 + curvature * du);
    let size = 0;
    for (let i = 0; i < n; i++) {
      const step = (x[i] ?? 0) - along * (u[i] ?? 0);
      r[i] = (r[i] ?? 0) - step;
      size = Math.max(size, Math.abs(step));
    }
    if (!Number.isFinite(size)) return null;
    if (size < TOLERANCE) return r;
  }
  return null;
}
