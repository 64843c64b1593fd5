/**
 * Weighted k-means on 2-D points (Lloyd iterations, as in Polis's clusters.clj), a weighted
 * k-means++ initialisation from a seeded PRNG, and Polis's silhouette.
 * Points are stored flat: point i is (points[2i], points[2i+1]).
 */
import type { Random } from "./prng.ts";

export interface KMeansResult {
  /** cluster index of each point, 0..centers.length/2-1 */
  readonly assignment: Int32Array;
  readonly centers: Float64Array;
  /** weighted sum of squared distances to the assigned centers */
  readonly inertia: number;
}

function squaredDistance(points: Float64Array, i: number, centers: Float64Array, c: number): number {
  return (points[2 * i]! - centers[2 * c]!) ** 2 + (points[2 * i + 1]! - centers[2 * c + 1]!) ** 2;
}

function nearest(points: Float64Array, i: number, centers: Float64Array): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < centers.length / 2; c++) {
    const d = squaredDistance(points, i, centers, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** weighted k-means++: first center drawn by weight, the next ones by weight × squared distance */
export function kMeansPlusPlus(points: Float64Array, weights: Float64Array, k: number, random: Random): Float64Array {
  const n = weights.length;
  const centers = new Float64Array(2 * k);
  const closest = new Float64Array(n).fill(Infinity);
  let chosen = 0;
  for (let c = 0; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]! * (c === 0 ? 1 : closest[i]!);
    let target = random() * total;
    chosen = n - 1;
    for (let i = 0; i < n && total > 0; i++) {
      target -= weights[i]! * (c === 0 ? 1 : closest[i]!);
      if (target < 0) {
        chosen = i;
        break;
      }
    }
    centers[2 * c] = points[2 * chosen]!;
    centers[2 * c + 1] = points[2 * chosen + 1]!;
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i]!, squaredDistance(points, i, centers, c));
  }
  return centers;
}

/**
 * Lloyd iterations from `initial` centers, until no point changes cluster or (when `tolerance` > 0)
 * no center moves by `tolerance` or more (Polis's `same-clustering?` uses 0.01); clusters left empty
 * are dropped (as Polis does).
 */
export function weightedKMeans(points: Float64Array, weights: Float64Array, initial: Float64Array, maxIterations = 100, tolerance = 0): KMeansResult {
  const n = weights.length;
  let centers: Float64Array = initial.slice();
  const assignment = new Int32Array(n).fill(-1);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const c = nearest(points, i, centers);
      if (c !== assignment[i]) {
        assignment[i] = c;
        changed = true;
      }
    }
    const previous = centers;
    centers = recenter(points, weights, assignment, centers.length / 2);
    if (!changed || (tolerance > 0 && largestShift(previous, centers) < tolerance)) break;
  }
  const compact = dropEmpty(assignment, centers);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += weights[i]! * squaredDistance(points, i, compact.centers, compact.assignment[i]!);
  return { ...compact, inertia };
}

function largestShift(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let c = 0; c < a.length / 2; c++) {
    const shift = Math.hypot(a[2 * c]! - b[2 * c]!, a[2 * c + 1]! - b[2 * c + 1]!);
    if (!Number.isNaN(shift)) worst = Math.max(worst, shift);
  }
  return worst;
}

function recenter(points: Float64Array, weights: Float64Array, assignment: Int32Array, k: number): Float64Array {
  const sums = new Float64Array(3 * k);
  for (let i = 0; i < assignment.length; i++) {
    const c = assignment[i]!;
    const w = weights[i]!;
    sums[3 * c]! += w * points[2 * i]!;
    sums[3 * c + 1]! += w * points[2 * i + 1]!;
    sums[3 * c + 2]! += w;
  }
  const centers = new Float64Array(2 * k).fill(NaN);
  for (let c = 0; c < k; c++) {
    if (sums[3 * c + 2]! > 0) {
      centers[2 * c] = sums[3 * c]! / sums[3 * c + 2]!;
      centers[2 * c + 1] = sums[3 * c + 1]! / sums[3 * c + 2]!;
    }
  }
  return centers;
}

function dropEmpty(assignment: Int32Array, centers: Float64Array): { assignment: Int32Array; centers: Float64Array } {
  const k = centers.length / 2;
  const used = new Int32Array(k).fill(-1);
  let next = 0;
  for (const c of assignment) if (used[c] === -1) used[c] = 0;
  const kept: number[] = [];
  for (let c = 0; c < k; c++) {
    if (used[c] === 0 && !Number.isNaN(centers[2 * c])) {
      used[c] = next++;
      kept.push(centers[2 * c]!, centers[2 * c + 1]!);
    }
  }
  return { assignment: assignment.map((c) => used[c]!), centers: Float64Array.from(kept) };
}

/**
 * Polis's silhouette (clusters.clj): the unweighted mean over points of (b − a) / max(a, b), with a the
 * mean distance to the other members of the point's cluster, b the smallest mean distance to another
 * cluster; a point alone in its cluster scores 0.
 */
export function silhouette(points: Float64Array, assignment: Int32Array, k: number): number {
  const n = assignment.length;
  const sizes = new Int32Array(k);
  for (const c of assignment) sizes[c]! += 1;
  let total = 0;
  const sums = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const own = assignment[i]!;
    if (sizes[own] === 1) continue;
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (j !== i) sums[assignment[j]!]! += Math.hypot(points[2 * i]! - points[2 * j]!, points[2 * i + 1]! - points[2 * j + 1]!);
    }
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (b === Infinity) continue;
    const m = Math.max(a, b);
    total += m === 0 ? 0 : (b - a) / m;
  }
  return n === 0 ? 0 : total / n;
}
