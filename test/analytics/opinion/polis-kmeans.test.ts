/** Polis's k-means (clusters.clj) on hand-worked examples. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { maxGroupCount, polisGroupClusters, type BaseClusters } from "../../../src/analytics/opinion/clustering.ts";
import { firstDistinctCenters, polisKMeans, sameClustering } from "../../../src/analytics/opinion/polis-kmeans.ts";

const flat = (pairs: [number, number][]) => Float64Array.from(pairs.flat());
const ones = (n: number) => new Float64Array(n).fill(1);

test("init-clusters: the first k distinct points in order; fewer when fewer are distinct", () => {
  const points = flat([[0, 0], [0, 0], [1, 0], [5, 5], [1, 0]]);
  assert.deepEqual([...firstDistinctCenters(points, 2)], [0, 0, 1, 0]);
  assert.deepEqual([...firstDistinctCenters(points, 5)], [0, 0, 1, 0, 5, 5]);
});

test("Lloyd steps from the first two points: 0,1 | 10,11 after two steps; one step when maxIterations is 0", () => {
  const points = flat([[0, 0], [1, 0], [10, 0], [11, 0]]);
  const initial = firstDistinctCenters(points, 2);
  // step 1 from centers 0 and 1: {0} and {1, 10, 11} → centers 0 and 22/3
  const one = polisKMeans(points, ones(4), initial, 0);
  assert.deepEqual([...one.assignment], [0, 1, 1, 1]);
  assert.ok(Math.abs(one.centers[2]! - 22 / 3) < 1e-12);
  // step 2: 1 is nearer 0 than 22/3 → {0, 1} and {10, 11}; step 3 moves nothing → stop
  const done = polisKMeans(points, ones(4), initial, 100);
  assert.deepEqual([...done.assignment], [0, 0, 1, 1]);
  assert.deepEqual([...done.centers], [0.5, 0, 10.5, 0]);
  assert.equal(done.inertia, 4 * 0.25);
});

test("a point equidistant from two centers joins the later one (Clojure's min-key)", () => {
  const result = polisKMeans(flat([[0, 0], [0.5, 0], [1, 0]]), ones(3), flat([[0, 0], [1, 0]]), 0);
  assert.deepEqual([...result.assignment], [0, 1, 1]);
  assert.deepEqual([...result.centers], [0, 0, 0.75, 0]);
});

test("a cluster left empty is dropped and the others renumbered in order", () => {
  const result = polisKMeans(flat([[0, 0], [1, 0], [9, 9]]), ones(3), flat([[0, 0], [100, 100], [9, 9]]), 20);
  assert.deepEqual([...result.assignment], [0, 0, 1]);
  assert.deepEqual([...result.centers], [0.5, 0, 9, 9]);
});

test("centers are weighted means", () => {
  const result = polisKMeans(flat([[0, 0], [4, 0]]), Float64Array.of(1, 3), flat([[1, 0]]), 20);
  assert.deepEqual([...result.centers], [3, 0]);
});

test("same-clustering?: sorted centers all within 0.01", () => {
  assert.equal(sameClustering(flat([[0, 0], [5, 5]]), flat([[5, 5.009], [0, 0]])), true);
  assert.equal(sameClustering(flat([[0, 0], [5, 5]]), flat([[5, 5.011], [0, 0]])), false);
});

test("groups: three separated blobs of base clusters give k = 3 by silhouette, blob by blob", () => {
  const blobs: [number, number][] = [[0, 0], [10, 0], [0, 10]];
  const centers = flat(blobs.flatMap(([x, y]) => [[x, y], [x + 0.5, y], [x, y + 0.5], [x + 0.5, y + 0.5]] as [number, number][]));
  const base: BaseClusters = { assignment: Int32Array.from({ length: 12 }, (_, i) => i), centers, sizes: ones(12) };
  assert.equal(maxGroupCount(12, 5), 3);
  const groups = polisGroupClusters(base, 5);
  assert.equal(groups.k, 3);
  assert.deepEqual([...groups.silhouettes.keys()], [2, 3]);
  const label = [...groups.assignment];
  for (let b = 0; b < 3; b++) {
    const members = label.slice(4 * b, 4 * b + 4);
    assert.ok(members.every((g) => g === members[0]), `blob ${b}`);
  }
  assert.equal(new Set(label).size, 3);
});
