/**
 * Polis's k-means with history (clusters.clj `kmeans` with `:last-clusters`, `clean-start-clusters`):
 * each cluster keeps an id across updates; an update starts from the previous clusters' members at
 * their current positions instead of from the first k distinct points.
 *  1. each previous cluster is recentred on its members still present (weighted mean); clusters with no
 *     member left are dropped (none left at all: one cluster of every point);
 *  2. clusters whose centers coincide are merged (the id of the larger one is kept);
 *  3. while fewer clusters than min(k, distinct points): the point farthest from every center becomes a
 *     cluster of its own, with a new id (largest id + 1);
 *  4. Polis's k-means steps from there (polis-kmeans.ts).
 * Without previous clusters, the start is Polis's `init-clusters` (first k distinct points), ids 0..k−1.
 * Points are flat (point i is (points[2i], points[2i+1])); members are point indices.
 */
import { firstDistinctCenters, polisKMeans } from "./polis-kmeans.ts";

export interface IdentifiedCluster {
  readonly id: number;
  /** indices of the points in this cluster */
  readonly members: readonly number[];
}

export interface WarmKMeansResult {
  /** the clusters, in increasing id order, with their members and centers */
  readonly clusters: readonly (IdentifiedCluster & { readonly center: readonly [number, number] })[];
  /** index (into `clusters`) of each point's cluster */
  readonly assignment: Int32Array;
}

interface Working {
  id: number;
  members: number[];
  x: number;
  y: number;
}

function recentre(points: Float64Array, weights: Float64Array, cluster: Working): void {
  let x = 0;
  let y = 0;
  let total = 0;
  for (const i of cluster.members) {
    x += weights[i]! * points[2 * i]!;
    y += weights[i]! * points[2 * i + 1]!;
    total += weights[i]!;
  }
  cluster.x = x / total;
  cluster.y = y / total;
}

function distinctPointCount(points: Float64Array): number {
  const seen = new Set<string>();
  for (let i = 0; i < points.length / 2; i++) seen.add(`${points[2 * i]},${points[2 * i + 1]}`);
  return seen.size;
}

/** the point whose nearest center is farthest (the last such point on ties, as Clojure's max-key) */
function mostDistal(points: Float64Array, clusters: readonly Working[]): { point: number; distance: number } {
  let point = -1;
  let distance = -Infinity;
  for (let i = 0; i < points.length / 2; i++) {
    let nearest = Infinity;
    for (const c of clusters) nearest = Math.min(nearest, Math.hypot(points[2 * i]! - c.x, points[2 * i + 1]! - c.y));
    if (nearest >= distance) {
      distance = nearest;
      point = i;
    }
  }
  return { point, distance };
}

/** Polis's `clean-start-clusters`: the previous clusters made ready as the start of this update */
export function cleanStartClusters(points: Float64Array, weights: Float64Array, previous: readonly IdentifiedCluster[], k: number): Working[] {
  const n = points.length / 2;
  let clusters: Working[] = previous
    .map((c) => ({ id: c.id, members: c.members.filter((i) => i >= 0 && i < n), x: 0, y: 0 }))
    .filter((c) => c.members.length > 0);
  if (clusters.length === 0) clusters = [{ id: Math.max(-1, ...previous.map((c) => c.id)) + 1, members: Array.from({ length: n }, (_, i) => i), x: 0, y: 0 }];
  for (const c of clusters) recentre(points, weights, c);
  const unique: Working[] = [];
  for (const c of clusters) {
    const same = unique.find((u) => u.x === c.x && u.y === c.y);
    if (!same) {
      unique.push(c);
      continue;
    }
    if (c.members.length >= same.members.length) same.id = c.id;
    same.members = [...same.members, ...c.members];
  }
  clusters = unique;
  const possible = Math.min(k, distinctPointCount(points));
  for (;;) {
    for (const c of clusters) recentre(points, weights, c);
    if (possible <= clusters.length) return clusters;
    const outlier = mostDistal(points, clusters);
    if (!(outlier.distance > 0)) return clusters;
    const nextId = Math.max(...clusters.map((c) => c.id)) + 1;
    for (const c of clusters) c.members = c.members.filter((i) => i !== outlier.point);
    clusters = clusters.filter((c) => c.members.length > 0);
    clusters.push({ id: nextId, members: [outlier.point], x: 0, y: 0 });
  }
}

/**
 * Polis's k-means of `points` into at most `k` clusters, from `previous` clusters when there are any
 * (their ids carry over), else from the first k distinct points; at most `maxIterations` + 1 steps.
 */
export function polisKMeansFrom(points: Float64Array, weights: Float64Array, k: number, previous: readonly IdentifiedCluster[] | null, maxIterations: number): WarmKMeansResult {
  let ids: number[];
  let initial: Float64Array;
  if (previous && previous.length > 0) {
    const start = cleanStartClusters(points, weights, previous, k);
    ids = start.map((c) => c.id);
    initial = Float64Array.from(start.flatMap((c) => [c.x, c.y]));
  } else {
    initial = firstDistinctCenters(points, k);
    ids = Array.from({ length: initial.length / 2 }, (_, c) => c);
  }
  const result = polisKMeans(points, weights, initial, maxIterations);
  const byId = Array.from(result.initialIndex, (start, c) => ({ c, id: ids[start]! })).sort((a, b) => a.id - b.id);
  const indexOf = new Int32Array(byId.length);
  byId.forEach((entry, index) => (indexOf[entry.c] = index));
  const members: number[][] = byId.map(() => []);
  const assignment = result.assignment.map((c) => indexOf[c]!);
  assignment.forEach((c, i) => members[c]!.push(i));
  return {
    clusters: byId.map((entry, index) => ({ id: entry.id, members: members[index]!, center: [result.centers[2 * entry.c]!, result.centers[2 * entry.c + 1]!] as const })),
    assignment,
  };
}
