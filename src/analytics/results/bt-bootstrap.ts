/**
 * Bootstrap intervals for Bradley–Terry: each round draws all outcome cells (wins of a, wins of b, draws;
 * 3 per row) by one multinomial over every judgment, as resampling the judgments would, then refits every
 * component. The refit starts from the full-data MLE and takes Newton steps with the Hessian at the MLE,
 * inverted once (a chord method): the first step needs no exponential, since the win probabilities at the
 * MLE are fixed; later steps recompute them. The steps shrink geometrically; a round has converged when
 * the distance still to go, estimated from the last two steps, is below 1e-6 log10 units (0.0004 rating
 * points; the estimate can undershoot a few times over, so the error seen against full Newton is kept within
 * 0.005 points, tested); one that does not converge in 60 steps is refitted by full Newton.
 */
import { createRng } from "../rng.ts";
import { multinomialSampler } from "../multinomial-sampler.ts";
import { centre, factoredHessian, fitBradleyTerry } from "./bt.ts";
import { choleskyInverse, multiplyInto } from "./linalg.ts";
import type { BtProblem } from "./bt.ts";
import { stronglyConnectedComponents } from "./graph.ts";
import type { PairRow } from "./types.ts";

const LN10 = Math.LN10;
/** log10 units: 0.0004 rating points, far below the bootstrap's own Monte Carlo error (≈ 0.1 points at 1,000 rounds) */
const TOLERANCE = 1e-6;
const MAX_CHORD_STEPS = 60;

/** One component: its subjects, the positions of its rows among all rows, and its problem in local indices. */
export interface BootstrapComponent {
  readonly members: readonly number[];
  readonly rowIndices: Int32Array;
  readonly problem: BtProblem;
}

export interface BootstrapDraws {
  /** per component, one strength vector (log10 units, centred) per usable round */
  readonly samples: Float64Array[][];
  /** rounds whose refit did not converge, per component */
  readonly failed: number[];
  /** rounds without a finite MLE (some subject never won or never lost), per component */
  readonly degenerate: number[];
}

export function bootstrapStrengths(
  components: readonly BootstrapComponent[],
  rows: readonly PairRow[],
  mles: readonly Float64Array[],
  options: { readonly rounds: number; readonly seed: number },
): BootstrapDraws {
  const samples: Float64Array[][] = components.map(() => []);
  const failed = components.map(() => 0);
  const degenerate = components.map(() => 0);
  const refits = components.map((component, k) => (component.members.length > 1 ? componentRefit(component, mles[k] ?? new Float64Array(component.members.length)) : null));
  if (options.rounds === 0 || refits.every((refit) => refit === null)) return { samples, failed, degenerate };
  const cells = new Float64Array(rows.length * 3);
  rows.forEach((row, k) => cells.set([row.winsA, row.winsB, row.ties + row.bothBad], 3 * k));
  const total = cells.reduce((sum, value) => sum + value, 0);
  const sampler = multinomialSampler(total, cells);
  const rng = createRng(options.seed);
  const batch = new Int32Array(sampler.batchRounds * cells.length);
  // every round's strengths in one block per component (no allocation a round)
  const stores = components.map((component, k) => (refits[k] ? new Float64Array(options.rounds * component.members.length) : null));
  // each round refitted as soon as the sampler completes it, while its counts are in the cache
  const refitRound = (drawn: Int32Array): void =>
    refits.forEach((refit, k) => {
      const store = stores[k];
      if (!refit || !store) return;
      const n = components[k]?.members.length ?? 0;
      const used = samples[k]?.length ?? 0;
      const outcome = refit(drawn, store.subarray(used * n, (used + 1) * n));
      if (outcome === "degenerate") degenerate[k] = (degenerate[k] ?? 0) + 1;
      else {
        if (!outcome.converged) failed[k] = (failed[k] ?? 0) + 1;
        samples[k]?.push(outcome.r);
      }
    });
  for (let first = 0; first < options.rounds; first += sampler.batchRounds) {
    sampler.drawBatch(rng, Math.min(sampler.batchRounds, options.rounds - first), batch, refitRound);
  }
  return { samples, failed, degenerate };
}

/** Cells as the sampler draws them (32-bit counts) or as doubles; the strengths written into `into` when given. */
export type Refit = (cells: Int32Array | Float64Array, into?: Float64Array) => { r: Float64Array; converged: boolean } | "degenerate";

/** Which rows touch each subject (compressed: rows of subject i at start[i]..start[i+1]), for the per-round Zermelo check. */
interface Incidence {
  readonly start: Int32Array;
  readonly row: Int32Array;
  readonly other: Int32Array;
  /** 1 when the subject is side a of that row */
  readonly isA: Uint8Array;
}

/**
 * The per-round refit of one component, with everything that does not change between rounds prepared once: given
 * all rows' drawn cells (wins of a, wins of b, draws; 3 per row), the resample's strengths or "degenerate".
 */
export function componentRefit(component: BootstrapComponent, mle: Float64Array): Refit | null {
  const { problem, rowIndices } = component;
  const n = problem.n;
  const rowCount = rowIndices.length;
  const lower = factoredHessian(problem, mle);
  // H⁻¹ once per run: each round's chord solves are then one product
  const inverse = lower ? choleskyInverse(lower, n) : null;
  const pAtMle = new Float64Array(rowCount);
  for (let k = 0; k < rowCount; k++) pAtMle[k] = 1 / (1 + Math.exp(-LN10 * ((mle[problem.a[k] as number] as number) - (mle[problem.b[k] as number] as number))));
  // per row the curvature p(1 − p) at the MLE, per subject the Hessian's diagonal with the full data's totals
  const curvature = pAtMle.map((p) => p * (1 - p));
  const fullDiagonal = new Float64Array(n);
  for (let k = 0; k < rowCount; k++) {
    const weight = ((problem.winsA[k] as number) + (problem.winsB[k] as number)) * (curvature[k] as number);
    fullDiagonal[problem.a[k] as number] = (fullDiagonal[problem.a[k] as number] as number) + weight;
    fullDiagonal[problem.b[k] as number] = (fullDiagonal[problem.b[k] as number] as number) + weight;
  }
  const incidence = incidenceOf(problem);
  const reach = { seen: new Uint8Array(n), queue: new Int32Array(n) };
  const backbone = backboneRows(problem, incidence, reach);
  const work: ChordWork = {
    winsA: new Float64Array(rowCount),
    winsB: new Float64Array(rowCount),
    totals: new Float64Array(rowCount),
    wins: new Float64Array(n),
    expected: new Float64Array(n),
    powers: new Float64Array(n),
    gradient: new Float64Array(n),
    step: new Float64Array(n),
    scale: new Float64Array(n),
  };
  const { winsA, winsB, totals, wins, expected, scale } = work;
  const fullA = problem.winsA;
  const fullB = problem.winsB;
  const { a: rowA, b: rowB } = problem;
  /** the resample's rows as winsA, winsB (half ties to each side), for the Zermelo check and full Newton */
  const fillWins = (cells: Int32Array | Float64Array): void => {
    for (let k = 0; k < rowCount; k++) {
      const at = 3 * (rowIndices[k] as number);
      const half = 0.5 * (cells[at + 2] as number);
      winsA[k] = (cells[at] as number) + half;
      winsB[k] = (cells[at + 1] as number) + half;
    }
  };
  return (cells, into) => {
    let lostDirection = false;
    wins.fill(0);
    scale.fill(0);
    // the first chord step's expected wins (at the MLE, whose win probabilities are fixed) in the same pass
    expected.fill(0);
    // side a's sums kept in registers while consecutive rows share it (rows come sorted by a): no chain of
    // read-modify-writes through memory
    let current = rowCount > 0 ? (rowA[0] as number) : 0;
    let winsRun = 0;
    let expectedRun = 0;
    let scaleRun = 0;
    for (let k = 0; k < rowCount; k++) {
      const at = 3 * (rowIndices[k] as number);
      const half = 0.5 * (cells[at + 2] as number);
      const a = (cells[at] as number) + half;
      const b = (cells[at + 1] as number) + half;
      const total = a + b;
      totals[k] = total;
      const i = rowA[k] as number;
      const j = rowB[k] as number;
      if (i !== current) {
        wins[current] = (wins[current] as number) + winsRun;
        expected[current] = (expected[current] as number) + expectedRun;
        scale[current] = (scale[current] as number) + scaleRun;
        current = i;
        winsRun = 0;
        expectedRun = 0;
        scaleRun = 0;
      }
      const won = total * (pAtMle[k] as number);
      const weight = total * (curvature[k] as number);
      winsRun += a;
      expectedRun += won;
      scaleRun += weight;
      wins[j] = (wins[j] as number) + b;
      expected[j] = (expected[j] as number) + (total - won);
      scale[j] = (scale[j] as number) + weight;
      if (((a === 0 && (fullA[k] as number) > 0) || (b === 0 && (fullB[k] as number) > 0)) && (backbone === null || backbone[k] === 1)) lostDirection = true;
    }
    wins[current] = (wins[current] as number) + winsRun;
    expected[current] = (expected[current] as number) + expectedRun;
    scale[current] = (scale[current] as number) + scaleRun;
    if (lostDirection) {
      fillWins(cells);
      if (!(reachesAll(incidence, winsA, winsB, true, reach) && reachesAll(incidence, winsA, winsB, false, reach))) return "degenerate";
    }
    for (let i = 0; i < n; i++) {
      const ratio = Math.sqrt((fullDiagonal[i] as number) / (scale[i] as number));
      scale[i] = ratio > 0 && ratio < Infinity ? ratio : 1;
    }
    const r = into ?? new Float64Array(n);
    r.set(mle);
    if (inverse && chordSteps(problem, work, inverse, r)) return { r: centre(r), converged: true };
    fillWins(cells);
    const fit = fitBradleyTerry({ ...problem, winsA: Float64Array.from(winsA), winsB: Float64Array.from(winsB) }, { start: mle });
    r.set(fit.r);
    return { r, converged: fit.converged };
  };
}

/** Per-round buffers of one component: the resampled rows, each subject's wins, and the chord method's vectors. */
interface ChordWork {
  readonly winsA: Float64Array;
  readonly winsB: Float64Array;
  readonly totals: Float64Array;
  /** per subject, its (half-tie) wins in this resample */
  readonly wins: Float64Array;
  /** per subject, its expected wins at the current strengths (at the MLE when the resample is read) */
  readonly expected: Float64Array;
  /** per subject, 10^r: P(i beats j) = 10^rᵢ / (10^rᵢ + 10^rⱼ), n exponentials a step instead of one a row */
  readonly powers: Float64Array;
  readonly gradient: Float64Array;
  readonly step: Float64Array;
  /**
   * per subject √(its Hessian diagonal with the full data's totals / with this resample's), both at the MLE:
   * the fixed matrix is rescaled to D·H·D, which follows each subject's count in the resample and so
   * contracts faster than H alone (same cost: two scalings around the solve)
   */
  readonly scale: Float64Array;
}

/** Newton steps with the fixed inverse Hessian from r (the MLE) until the distance left is below TOLERANCE; false when that fails. */
function chordSteps(problem: BtProblem, work: ChordWork, inverse: Float64Array, r: Float64Array): boolean {
  const n = problem.n;
  const rowCount = problem.a.length;
  const { a, b } = problem;
  const { totals, wins, expected, powers, gradient, step, scale } = work;
  let previous = Infinity;
  for (let iteration = 0; iteration < MAX_CHORD_STEPS; iteration++) {
    // the first step's expected wins (at the MLE) come with the resample
    if (iteration > 0) {
      expected.fill(0);
      for (let i = 0; i < n; i++) powers[i] = Math.exp(LN10 * (r[i] as number));
      // side a's sum in a register while consecutive rows share it (as in the resample's pass)
      let current = rowCount > 0 ? (a[0] as number) : 0;
      let run = 0;
      for (let k = 0; k < rowCount; k++) {
        const i = a[k] as number;
        const j = b[k] as number;
        if (i !== current) {
          expected[current] = (expected[current] as number) + run;
          current = i;
          run = 0;
        }
        const total = totals[k] as number;
        const pi = powers[i] as number;
        const won = (total * pi) / (pi + (powers[j] as number));
        run += won;
        expected[j] = (expected[j] as number) + (total - won);
      }
      expected[current] = (expected[current] as number) + run;
    }
    for (let i = 0; i < n; i++) gradient[i] = -LN10 * (scale[i] as number) * ((wins[i] as number) - (expected[i] as number));
    multiplyInto(inverse, n, gradient, step);
    let largest = 0;
    for (let i = 0; i < n; i++) {
      const move = (scale[i] as number) * (step[i] as number);
      r[i] = (r[i] as number) - move;
      const size = move < 0 ? -move : move;
      if (size > largest) largest = size;
    }
    if (!(largest < Infinity)) return false;
    // the chord iteration contracts by about ratio per step, so what is left to move is about largest·ratio/(1 − ratio)
    const ratio = previous < Infinity ? largest / previous : 1;
    if (ratio < 0.5 && (largest * ratio) / (1 - ratio) < TOLERANCE) return true;
    previous = largest;
  }
  return false;
}

/** Rows won both ways at least this often (half ties counted) form the backbone; one loses a direction in a resample with probability below e⁻²⁰. */
const BACKBONE_WINS = 20;

/**
 * Rows won both ways at least BACKBONE_WINS times (1 per such row), when they alone make the wins graph strongly
 * connected; else null. While every backbone row keeps both directions, a resample's graph contains the backbone's
 * and is strongly connected too, so only a backbone row's lost direction calls for the full check.
 */
function backboneRows(problem: BtProblem, incidence: Incidence, reach: { seen: Uint8Array; queue: Int32Array }): Uint8Array | null {
  const rowCount = problem.a.length;
  const strongA = new Float64Array(rowCount);
  const strongB = new Float64Array(rowCount);
  const backbone = new Uint8Array(rowCount);
  for (let k = 0; k < rowCount; k++) {
    if ((problem.winsA[k] as number) < BACKBONE_WINS || (problem.winsB[k] as number) < BACKBONE_WINS) continue;
    backbone[k] = 1;
    strongA[k] = 1;
    strongB[k] = 1;
  }
  return reachesAll(incidence, strongA, strongB, true, reach) && reachesAll(incidence, strongA, strongB, false, reach) ? backbone : null;
}

function incidenceOf(problem: BtProblem): Incidence {
  const { n, a, b } = problem;
  const start = new Int32Array(n + 1);
  for (let k = 0; k < a.length; k++) {
    start[(a[k] as number) + 1] = (start[(a[k] as number) + 1] as number) + 1;
    start[(b[k] as number) + 1] = (start[(b[k] as number) + 1] as number) + 1;
  }
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, n);
  const row = new Int32Array(2 * a.length);
  const other = new Int32Array(2 * a.length);
  const isA = new Uint8Array(2 * a.length);
  for (let k = 0; k < a.length; k++) {
    const i = a[k] as number;
    const j = b[k] as number;
    const atI = fill[i] as number;
    const atJ = fill[j] as number;
    fill[i] = atI + 1;
    fill[j] = atJ + 1;
    row[atI] = k;
    other[atI] = j;
    isA[atI] = 1;
    row[atJ] = k;
    other[atJ] = i;
  }
  return { start, row, other, isA };
}

/**
 * Whether every subject is reached from subject 0 by "has won against" steps (forward) or by "has lost to"
 * steps (backward). Both together: the wins graph is strongly connected, Zermelo's condition for a finite MLE.
 */
function reachesAll(incidence: Incidence, winsA: Float64Array, winsB: Float64Array, forward: boolean, buffers: { seen: Uint8Array; queue: Int32Array }): boolean {
  const { start, row, other, isA } = incidence;
  const { seen, queue } = buffers;
  const n = seen.length;
  seen.fill(0);
  seen[0] = 1;
  queue[0] = 0;
  let head = 0;
  let tail = 1;
  while (head < tail) {
    const node = queue[head++] as number;
    for (let e = start[node] as number; e < (start[node + 1] as number); e++) {
      const next = other[e] as number;
      if (seen[next]) continue;
      const k = row[e] as number;
      // forward: node won in row k; backward: next won in row k
      const nodeWon = isA[e] ? (winsA[k] as number) > 0 : (winsB[k] as number) > 0;
      const nextWon = isA[e] ? (winsB[k] as number) > 0 : (winsA[k] as number) > 0;
      if (forward ? nodeWon : nextWon) {
        seen[next] = 1;
        queue[tail++] = next;
      }
    }
  }
  return tail === n;
}

/** The MLE is finite only when every split of the subjects has wins both ways (Zermelo's condition). */
export function mleExists(problem: BtProblem): boolean {
  const successors: number[][] = Array.from({ length: problem.n }, () => []);
  for (let k = 0; k < problem.a.length; k++) {
    const a = problem.a[k] ?? 0;
    const b = problem.b[k] ?? 0;
    if ((problem.winsA[k] ?? 0) > 0) successors[a]?.push(b);
    if ((problem.winsB[k] ?? 0) > 0) successors[b]?.push(a);
  }
  return stronglyConnectedComponents(problem.n, successors).length === 1;
}
