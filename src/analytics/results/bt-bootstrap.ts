/**
 * Bootstrap intervals for Bradley–Terry: each round draws all outcome cells (wins of a, wins of b, draws;
 * 3 per row) by one multinomial over every judgment, as resampling the judgments would, then refits every
 * component. The refit starts from the full-data MLE and takes Newton steps with the Hessian at the MLE,
 * inverted once (a chord method): the first step needs no exponential, since the win probabilities at the
 * MLE are fixed; later steps recompute them. The steps shrink geometrically; a round has converged when
 * the distance still to go, estimated from the last two steps, is below 1e-6 log10 units (0.0004 rating
 * points; the estimate can undershoot a few times over, so the error seen against full Newton is kept within
 * 0.005 points, tested); one that does not converge in 60 steps is refitted by full Newton. The resample pass and
 * the chord steps run as WebAssembly (wasm/bt-chord-kernel.ts) over the memory the sampler draws into.
 */
import { createRng } from "../rng.ts";
import { multinomialSampler, multinomialSamplerBytes } from "../multinomial-sampler.ts";
import { centre, factoredHessian, fitBradleyTerry } from "./bt.ts";
import { choleskyInverse } from "./linalg.ts";
import { btKernels, type BtKernels, type ChordArgs, type ResampleArgs } from "../wasm/bt-chord-kernel.ts";
import { KernelHeap } from "../wasm/kernel-memory.ts";
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
  const refitted = components.map((component) => component.members.length > 1);
  if (options.rounds === 0 || !refitted.some(Boolean)) return { samples, failed, degenerate };
  const cells = new Float64Array(rows.length * 3);
  rows.forEach((row, k) => cells.set([row.winsA, row.winsB, row.ties + row.bothBad], 3 * k));
  const total = cells.reduce((sum, value) => sum + value, 0);
  // the sampler draws into the kernel memory, where the refits read the counts in place
  const heap = new KernelHeap(multinomialSamplerBytes(total, cells) + components.reduce((sum, component, k) => sum + (refitted[k] ? refitBytes(component) : 0), 0));
  const sampler = multinomialSampler(total, cells, heap);
  const rng = createRng(options.seed);
  const batch = sampler.batch;
  const shared: SharedKernels = { kernels: btKernels(heap.memory), heap };
  const refits = components.map((component, k) => (refitted[k] ? componentRefit(component, mles[k] ?? new Float64Array(component.members.length), shared) : null));
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
  heap.release();
  return { samples, failed, degenerate };
}

/** Cells as the sampler draws them (32-bit counts, read in place when in the kernel memory) or as doubles holding whole counts (copied in); the strengths written into `into` when given. */
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
export function componentRefit(component: BootstrapComponent, mle: Float64Array, shared?: SharedKernels): Refit | null {
  const { problem, rowIndices } = component;
  const n = problem.n;
  const rowCount = rowIndices.length;
  const { kernels, heap } = shared ?? ownKernels(refitBytes(component));
  const lower = factoredHessian(problem, mle);
  // H⁻¹ once per run: each round's chord solves are then one product
  const inverse = lower ? choleskyInverse(lower, n) : null;
  const region = refitRegion(heap, n, rowCount);
  const stride = n + (n % 2);
  // the padding of the inverse's rows and of the gradient stays zero; the full-data diagonal is summed below
  region.inverse.fill(0);
  region.gradient.fill(0);
  region.fullDiagonal.fill(0);
  if (inverse) for (let i = 0; i < n; i++) region.inverse.set(inverse.subarray(i * n, (i + 1) * n), i * stride);
  const { pAtMle, curvature, fullDiagonal } = region;
  for (let k = 0; k < rowCount; k++) pAtMle[k] = 1 / (1 + Math.exp(-LN10 * ((mle[problem.a[k] as number] as number) - (mle[problem.b[k] as number] as number))));
  // per row the curvature p(1 − p) at the MLE, per subject the Hessian's diagonal with the full data's totals
  for (let k = 0; k < rowCount; k++) curvature[k] = (pAtMle[k] as number) * (1 - (pAtMle[k] as number));
  for (let k = 0; k < rowCount; k++) {
    const weight = ((problem.winsA[k] as number) + (problem.winsB[k] as number)) * (curvature[k] as number);
    fullDiagonal[problem.a[k] as number] = (fullDiagonal[problem.a[k] as number] as number) + weight;
    fullDiagonal[problem.b[k] as number] = (fullDiagonal[problem.b[k] as number] as number) + weight;
  }
  const incidence = incidenceOf(problem);
  const reach = { seen: new Uint8Array(n), queue: new Int32Array(n) };
  const backbone = backboneRows(problem, incidence, reach);
  for (let k = 0; k < rowCount; k++) {
    region.rowCell[k] = 12 * (rowIndices[k] as number);
    region.ownCell[k] = 12 * k;
    region.rowA[k] = 8 * (problem.a[k] as number);
    region.rowB[k] = 8 * (problem.b[k] as number);
    // a direction won in the full data whose loss in a resample calls for the Zermelo check (backbone rows only, when there is one)
    const watched = backbone === null || backbone[k] === 1;
    region.need[k] = watched ? ((problem.winsA[k] as number) > 0 ? 1 : 0) | ((problem.winsB[k] as number) > 0 ? 2 : 0) : 0;
  }
  const winsA = new Float64Array(rowCount);
  const winsB = new Float64Array(rowCount);
  /** the resample's rows as winsA, winsB (half ties to each side), for the Zermelo check and full Newton */
  const fillWins = (cells: Int32Array | Float64Array): void => {
    for (let k = 0; k < rowCount; k++) {
      const at = 3 * (rowIndices[k] as number);
      const half = 0.5 * (cells[at + 2] as number);
      winsA[k] = (cells[at] as number) + half;
      winsB[k] = (cells[at + 1] as number) + half;
    }
  };
  const address = (view: Float64Array | Int32Array): number => view.byteOffset;
  const resampleArgs: ResampleArgs = {
    cells: 0,
    rowCell: address(region.rowCell),
    rowA: address(region.rowA),
    rowB: address(region.rowB),
    pAtMle: address(pAtMle),
    curvature: address(curvature),
    need: address(region.need),
    totals: address(region.totals),
    wins: address(region.wins),
    expected: address(region.expected),
    scale: address(region.scale),
    fullDiagonal: address(fullDiagonal),
    rowCount,
    n,
  };
  const chordArgs: ChordArgs = {
    inverse: address(region.inverse),
    rowA: resampleArgs.rowA,
    rowB: resampleArgs.rowB,
    totals: resampleArgs.totals,
    wins: resampleArgs.wins,
    expected: resampleArgs.expected,
    powers: address(region.powers),
    gradient: address(region.gradient),
    step: address(region.step),
    scale: resampleArgs.scale,
    r: address(region.r),
    rowCount,
    n,
    stride: 8 * stride,
    maxSteps: MAX_CHORD_STEPS,
    tolerance: TOLERANCE,
  };
  return (cells, into) => {
    if (cells instanceof Int32Array && cells.buffer === heap.memory.buffer) {
      resampleArgs.cells = cells.byteOffset;
      resampleArgs.rowCell = address(region.rowCell);
    } else {
      // cells from elsewhere (whole counts): this component's rows copied into the kernel memory, row k at 3k
      const own = region.ownCells;
      for (let k = 0; k < rowCount; k++) {
        const at = 3 * (rowIndices[k] as number);
        own[3 * k] = cells[at] as number;
        own[3 * k + 1] = cells[at + 1] as number;
        own[3 * k + 2] = cells[at + 2] as number;
      }
      resampleArgs.cells = address(own);
      resampleArgs.rowCell = address(region.ownCell);
    }
    const lost = kernels.resample(resampleArgs);
    if (lost !== 0) {
      fillWins(cells);
      if (!(reachesAll(incidence, winsA, winsB, true, reach) && reachesAll(incidence, winsA, winsB, false, reach))) return "degenerate";
    }
    const r = into ?? new Float64Array(n);
    region.r.set(mle);
    if (inverse && kernels.chord(chordArgs) === 1) {
      r.set(region.r);
      return { r: centre(r), converged: true };
    }
    fillWins(cells);
    const fit = fitBradleyTerry({ ...problem, winsA: Float64Array.from(winsA), winsB: Float64Array.from(winsB) }, { start: mle });
    r.set(fit.r);
    return { r, converged: fit.converged };
  };
}

/** One kernel instance and its memory's allocator, shared by the sampler's batch and every component's refit. */
export interface SharedKernels {
  readonly kernels: BtKernels;
  readonly heap: KernelHeap;
}

function ownKernels(bytes: number): SharedKernels {
  const heap = new KernelHeap(bytes);
  return { kernels: btKernels(heap.memory), heap };
}

/** Kernel memory one component's refit takes (refitRegion's regions). */
export function refitBytes(component: BootstrapComponent): number {
  const n = component.problem.n;
  const rows = component.rowIndices.length;
  const stride = n + (n % 2);
  return KernelHeap.bytes(4 * rows, 4 * rows, 12 * rows, 4 * rows, 4 * rows, 4 * rows, 8 * rows, 8 * rows, 8 * rows, ...Array.from({ length: 7 }, () => 8 * n), 8 * stride, 8 * n * stride);
}

/**
 * One component's arrays in the kernel memory (their meaning: bt-chord-kernel.ts): per row its cells' offset in the
 * batch (rowCell) or in ownCells (ownCell), its subjects' offsets, the directions the Zermelo check needs, p and
 * p(1 − p) at the MLE, its drawn total; per subject the chord method's vectors; the inverse Hessian, rows padded to
 * an even length (the padding and the gradient's stay zero).
 */
function refitRegion(heap: KernelHeap, n: number, rows: number) {
  const stride = n + (n % 2);
  return {
    rowCell: heap.i32(rows),
    ownCell: heap.i32(rows),
    ownCells: heap.i32(3 * rows),
    rowA: heap.i32(rows),
    rowB: heap.i32(rows),
    need: heap.i32(rows),
    pAtMle: heap.f64(rows),
    curvature: heap.f64(rows),
    totals: heap.f64(rows),
    wins: heap.f64(n),
    expected: heap.f64(n),
    scale: heap.f64(n),
    powers: heap.f64(n),
    step: heap.f64(n),
    r: heap.f64(n),
    fullDiagonal: heap.f64(n),
    gradient: heap.f64(stride),
    inverse: heap.f64(n * stride),
  };
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
