/**
 * Polis's own k-means (math/src/polismath/math/clusters.clj), for a computation without history:
 * - `init-clusters`: the initial centers are the first k DISTINCT points, in the order given;
 * - `cluster-step`: each point joins its nearest center (ties go to the later cluster, as Clojure's
 *   `min-key` does), clusters left empty are dropped, centers become the weighted means;
 * - `kmeans`: steps until `same-clustering?` (the sorted centers all moved by less than 0.01) or
 *   after `maxIterations` + 1 steps.
 * Deterministic: no random numbers. Points are stored flat: point i is (points[2i], points[2i+1]).
 */
import type { KMeansResult } from "./kmeans.ts";

/** Polis's `same-clustering?` threshold on center moves */
const SAME_CLUSTERING_THRESHOLD = 0.01;

/** Polis's `init-clusters`: the first `k` distinct points in order (fewer when fewer are distinct) */
export function firstDistinctCenters(points: Float64Array, k: number): Float64Array {
  const seen = new Set<string>();
  const centers: number[] = [];
  for (let i = 0; i < points.length / 2 && seen.size < k; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    const key = `${x},${y}`;
    if (seen.has(key)) continue;
    seen.add(key);
    centers.push(x, y);
  }
  return Float64Array.from(centers);
}

function nearestOrLater(points: Float64Array, i: number, centers: Float64Array): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let c = 0; c < centers.length / 2; c++) {
    const d = (points[2 * i]! - centers[2 * c]!) ** 2 + (points[2 * i + 1]! - centers[2 * c + 1]!) ** 2;
    if (d <= bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

/** one `cluster-step`: assignment to the nearest center, empty clusters dropped, weighted means */
function clusterStep(points: Float64Array, weights: Float64Array, centers: Float64Array): { assignment: Int32Array; centers: Float64Array; kept: Int32Array } {
  const k = centers.length / 2;
  const n = weights.length;
  const assignment = new Int32Array(n);
  const sums = new Float64Array(3 * k);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = nearestOrLater(points, i, centers);
    assignment[i] = c;
    counts[c]! += 1;
    sums[3 * c]! += weights[i]! * points[2 * i]!;
    sums[3 * c + 1]! += weights[i]! * points[2 * i + 1]!;
    sums[3 * c + 2]! += weights[i]!;
  }
  const renumber = new Int32Array(k).fill(-1);
  const kept: number[] = [];
  const keptIndex: number[] = [];
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue;
    renumber[c] = kept.length / 2;
    keptIndex.push(c);
    kept.push(sums[3 * c]! / sums[3 * c + 2]!, sums[3 * c + 1]! / sums[3 * c + 2]!);
  }
  return { assignment: assignment.map((c) => renumber[c]!), centers: Float64Array.from(kept), kept: Int32Array.from(keptIndex) };
}

/** centers as [x, y] pairs in lexicographic order (Clojure's `sort` on vectors) */
function sortedCenters(centers: Float64Array): [number, number][] {
  const pairs: [number, number][] = [];
  for (let c = 0; c < centers.length / 2; c++) pairs.push([centers[2 * c]!, centers[2 * c + 1]!]);
  return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Polis's `same-clustering?`: sorted centers zipped (to the shorter list), every distance < 0.01 */
export function sameClustering(a: Float64Array, b: Float64Array): boolean {
  const left = sortedCenters(a);
  const right = sortedCenters(b);
  const n = Math.min(left.length, right.length);
  for (let c = 0; c < n; c++) {
    if (!(Math.hypot(left[c]![0] - right[c]![0], left[c]![1] - right[c]![1]) < SAME_CLUSTERING_THRESHOLD)) return false;
  }
  return true;
}

/**
 * Polis's `kmeans` from the given initial centers: at most `maxIterations` + 1 steps (Polis: 100 for
 * base clusters, its default 20 for groups). Cluster indices follow the initial centers' order,
 * renumbered after the empty ones are dropped; `initialIndex` says which initial center each cluster grew from.
 */
export function polisKMeans(points: Float64Array, weights: Float64Array, initial: Float64Array, maxIterations: number): KMeansResult & { initialIndex: Int32Array } {
  let centers = initial;
  let step = clusterStep(points, weights, centers);
  let initialIndex = step.kept;
  for (let left = maxIterations; left > 0 && !sameClustering(centers, step.centers); left--) {
    centers = step.centers;
    step = clusterStep(points, weights, centers);
    const before = initialIndex;
    initialIndex = step.kept.map((c) => before[c]!);
  }
  let inertia = 0;
  for (let i = 0; i < weights.length; i++) {
    const c = step.assignment[i]!;
    inertia += weights[i]! * ((points[2 * i]! - step.centers[2 * c]!) ** 2 + (points[2 * i + 1]! - step.centers[2 * c + 1]!) ** 2);
  }
  return { assignment: step.assignment, centers: step.centers, inertia, initialIndex };
}
