/**
 * Polis's two-level clustering (conversation.clj): participants with enough votes ("in-conv") are
 * grouped into up to 100 base clusters by k-means on their projections; the base clusters are then
 * grouped by k-means weighted by their sizes, for each k in 2..min(5, 2 + ⌊n_base / 12⌋), and the k
 * with the best silhouette (computed over the base clusters) is kept.
 *
 * Without history (the default "polis" initialisation) both k-means start as Polis's `init-clusters`
 * does: from the first k distinct points in order (participants, then base clusters by id), with
 * Polis's iteration counts (100 base, 20 groups) and stopping rule; no random numbers are drawn.
 * Polis also warm-starts every k-means from its previous update and smooths k over updates (history):
 * `warmStartedGroups` does the former when previous groups are given. The "kmeans++" initialisation
 * (seeded, several restarts keeping the lowest weighted inertia) is kept as an alternative.
 */
import { kMeansPlusPlus, silhouette, weightedKMeans, type KMeansResult } from "./kmeans.ts";
import { firstDistinctCenters, polisKMeans } from "./polis-kmeans.ts";
import type { Random } from "./prng.ts";

/** Polis's "in-conv" rule: at least min(7, n_statements) votes; topped up to 15 by the most active */
export function selectClusterable(voteCounts: Int32Array, nStatements: number, keep: ReadonlySet<number> = new Set()): number[] {
  const threshold = Math.min(7, nStatements);
  const chosen = new Set<number>(keep);
  voteCounts.forEach((count, i) => {
    if (count >= threshold && count > 0) chosen.add(i);
  });
  const GREEDY = 15;
  if (chosen.size < GREEDY) {
    const rest = [...voteCounts.keys()].filter((i) => !chosen.has(i) && voteCounts[i]! > 0);
    rest.sort((x, y) => voteCounts[y]! - voteCounts[x]! || x - y);
    for (const i of rest.slice(0, GREEDY - chosen.size)) chosen.add(i);
  }
  return [...chosen].sort((x, y) => x - y);
}

export interface BaseClusters {
  /** base cluster of each clusterable participant (same order as the input list) */
  readonly assignment: Int32Array;
  readonly centers: Float64Array;
  readonly sizes: Float64Array;
}

/** base clusters stop when no center moves by this much (Polis's same-clustering? threshold) */
const BASE_TOLERANCE = 0.01;

/** base clusters: identical points share one; k-means with k = `k` when there are more distinct points */
export function baseClusters(points: Float64Array, k: number, random: Random): BaseClusters {
  const n = points.length / 2;
  const distinct = new Map<string, number>();
  const firstOf: number[] = [];
  const assignment = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = `${points[2 * i]},${points[2 * i + 1]}`;
    let c = distinct.get(key);
    if (c === undefined) {
      c = firstOf.length;
      distinct.set(key, c);
      firstOf.push(i);
    }
    assignment[i] = c;
  }
  if (firstOf.length > k) {
    const weights = new Float64Array(n).fill(1);
    const result = weightedKMeans(points, weights, kMeansPlusPlus(points, weights, k, random), 100, BASE_TOLERANCE);
    return { assignment: result.assignment, centers: result.centers, sizes: clusterSizes(result.assignment, result.centers.length / 2) };
  }
  const centers = Float64Array.from(firstOf.flatMap((i) => [points[2 * i]!, points[2 * i + 1]!]));
  return { assignment, centers, sizes: clusterSizes(assignment, firstOf.length) };
}

/** Polis's k-means iterations: base clusters 100 (`:base-iters`), groups 20 (`kmeans`'s default) */
export const POLIS_BASE_ITERATIONS = 100;
export const POLIS_GROUP_ITERATIONS = 20;

/** base clusters as Polis computes them without history: its k-means from the first k distinct points */
export function polisBaseClusters(points: Float64Array, k: number): BaseClusters {
  const weights = new Float64Array(points.length / 2).fill(1);
  const result = polisKMeans(points, weights, firstDistinctCenters(points, k), POLIS_BASE_ITERATIONS);
  return { assignment: result.assignment, centers: result.centers, sizes: clusterSizes(result.assignment, result.centers.length / 2) };
}

function clusterSizes(assignment: Int32Array, k: number): Float64Array {
  const sizes = new Float64Array(k);
  for (const c of assignment) sizes[c]! += 1;
  return sizes;
}

export interface GroupClustering {
  /** group of each base cluster */
  readonly assignment: Int32Array;
  readonly centers: Float64Array;
  readonly k: number;
  readonly silhouettes: ReadonlyMap<number, number>;
}

/** Polis's largest k tried: min(maxGroups, 2 + ⌊n_base / 12⌋) */
export function maxGroupCount(nBase: number, maxGroups: number): number {
  return Math.min(maxGroups, 2 + Math.floor(nBase / 12));
}

function bestOfRestarts(base: BaseClusters, k: number, restarts: number, random: Random) {
  let best = weightedKMeans(base.centers, base.sizes, kMeansPlusPlus(base.centers, base.sizes, k, random));
  for (let r = 1; r < restarts; r++) {
    const candidate = weightedKMeans(base.centers, base.sizes, kMeansPlusPlus(base.centers, base.sizes, k, random));
    if (candidate.inertia < best.inertia - 1e-12) best = candidate;
  }
  return best;
}

/**
 * Warm start, as Polis's every update does from the previous one: k-means from the previous groups'
 * centers, and k kept (Polis's k-smoother only changes k after a new k has won 4 updates in a row).
 */
export function warmStartedGroups(base: BaseClusters, previousCenters: Float64Array): GroupClustering {
  const result = weightedKMeans(base.centers, base.sizes, previousCenters);
  const k = result.centers.length / 2;
  const silhouettes = new Map([[k, silhouette(base.centers, result.assignment, k)]]);
  return { assignment: result.assignment, centers: result.centers, k, silhouettes };
}

/** groups of base clusters, k chosen by silhouette (ties go to the smaller k); one group when k=2 is impossible */
export function groupClusters(base: BaseClusters, maxGroups: number, restarts: number, random: Random): GroupClustering {
  const nBase = base.sizes.length;
  const silhouettes = new Map<number, number>();
  const top = Math.min(maxGroupCount(nBase, maxGroups), nBase);
  let chosen: GroupClustering | null = null;
  for (let k = 2; k <= top; k++) {
    const result = bestOfRestarts(base, k, restarts, random);
    const score = silhouette(base.centers, result.assignment, result.centers.length / 2);
    silhouettes.set(k, score);
    if (!chosen || score > (silhouettes.get(chosen.k) ?? -Infinity) + 1e-12) {
      chosen = { assignment: result.assignment, centers: result.centers, k, silhouettes };
    }
  }
  return chosen ?? singleGroup(base, silhouettes);
}

/** one group of all base clusters, at their weighted mean (when two groups are impossible) */
function singleGroup(base: BaseClusters, silhouettes: ReadonlyMap<number, number>): GroupClustering {
  const all = new Int32Array(base.sizes.length);
  let x = 0;
  let y = 0;
  let total = 0;
  base.sizes.forEach((w, c) => {
    x += w * base.centers[2 * c]!;
    y += w * base.centers[2 * c + 1]!;
    total += w;
  });
  return { assignment: all, centers: Float64Array.of(x / total, y / total), k: 1, silhouettes };
}

/**
 * Groups as Polis computes them without history: for each k in 2..max, its weighted k-means of the
 * base clusters (weights = member counts) from the first k distinct base-cluster centers in base
 * cluster order; the k of the best silhouette wins, ties to the larger k (Clojure's `max-key`).
 */
export function polisGroupClusters(base: BaseClusters, maxGroups: number): GroupClustering {
  const silhouettes = new Map<number, number>();
  const top = Math.min(maxGroupCount(base.sizes.length, maxGroups), base.sizes.length);
  let chosen: { k: number; score: number; result: KMeansResult } | null = null;
  for (let k = 2; k <= top; k++) {
    const result = polisKMeans(base.centers, base.sizes, firstDistinctCenters(base.centers, k), POLIS_GROUP_ITERATIONS);
    const score = silhouette(base.centers, result.assignment, result.centers.length / 2);
    silhouettes.set(k, score);
    if (!chosen || score >= chosen.score) chosen = { k, score, result };
  }
  if (!chosen) return singleGroup(base, silhouettes);
  return { assignment: chosen.result.assignment, centers: chosen.result.centers, k: chosen.result.centers.length / 2, silhouettes };
}

/**
 * Canonical group labels: largest group first, then by center x, then y. Returns, for each group
 * index of the clustering, its canonical label.
 */
export function canonicalGroupOrder(sizes: readonly number[], centers: Float64Array): Int32Array {
  const order = sizes
    .map((size, g) => ({ size, g, x: centers[2 * g]!, y: centers[2 * g + 1]! }))
    .sort((a, b) => b.size - a.size || a.x - b.x || a.y - b.y);
  const label = new Int32Array(sizes.length);
  order.forEach((entry, rank) => (label[entry.g] = rank));
  return label;
}
