/**
 * Groups against Polis's. Polis's group k-means is warm-started from its previous update, so its
 * partition is a local optimum reached through the conversation's history. These tests show that
 * Polis's partition is a fixed point of the same weighted k-means (so the method is the same), and
 * report how a one-shot computation compares (adjusted Rand index, weighted inertia).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { adjustedRandIndex } from "../../src/analytics/opinion/ari.ts";
import { weightedKMeans } from "../../src/analytics/opinion/kmeans.ts";
import { computeOpinionMap } from "../../src/analytics/opinion/map.ts";
import { readPolisGoldenCase } from "../../src/connectors/polis/index.ts";
import { GOLDEN_CASES, unpackGoldenCase } from "./fixtures.ts";
import { withReconstructedVotes } from "./golden-support.ts";

function weightedInertia(points: Float64Array, weights: Float64Array, labels: ArrayLike<number>): number {
  const sums = new Map<number, [number, number, number]>();
  for (let i = 0; i < weights.length; i++) {
    const s = sums.get(labels[i]!) ?? [0, 0, 0];
    sums.set(labels[i]!, [s[0] + weights[i]! * points[2 * i]!, s[1] + weights[i]! * points[2 * i + 1]!, s[2] + weights[i]!]);
  }
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const [sx, sy, w] = sums.get(labels[i]!)!;
    total += weights[i]! * ((points[2 * i]! - sx / w) ** 2 + (points[2 * i + 1]! - sy / w) ** 2);
  }
  return total;
}

for (const name of GOLDEN_CASES) {
  test(`${name}: Polis's groups are a fixed point of the weighted k-means; the one-shot map compared`, (t) => {
    const { dir, math } = unpackGoldenCase(name);
    const base = math["base-clusters"];
    const points = Float64Array.from(base.id.flatMap((_, b) => [base.x[b]!, base.y[b]!]));
    const weights = Float64Array.from(base.members, (m) => m.length);
    const groupOfBase = new Map(math["group-clusters"].flatMap((g) => g.members.map((b) => [b, g.id] as const)));
    const polisLabels = base.id.map((b) => groupOfBase.get(b)!);
    const centers = Float64Array.from(math["group-clusters"].flatMap((g) => g.center));
    const again = weightedKMeans(points, weights, centers);
    assert.equal(adjustedRandIndex(polisLabels, [...again.assignment]), 1, "k-means from Polis's centers keeps Polis's groups");

    const raw = readPolisGoldenCase(dir);
    const conversation = name === "50ptpt-3gp-strict-no-meta" ? withReconstructedVotes(raw) : raw;
    const map = computeOpinionMap(conversation, { seed: 1 });
    const mine = new Map(map.groups.flatMap((g) => g.participants.map((p) => [p, g.id] as const)));
    const polis = new Map(math["group-clusters"].flatMap((g) => g.members.flatMap((b) => base.members[base.id.indexOf(b)]!.map((p) => [String(p), g.id] as const))));
    const common = [...polis.keys()].filter((p) => mine.has(p));
    const ari = adjustedRandIndex(common.map((p) => polis.get(p)!), common.map((p) => mine.get(p)!));
    t.diagnostic(`one-shot: k ${map.groups.length} (Polis ${math["group-clusters"].length}), ARI ${ari.toFixed(3)} over ${common.length} participants`);
    if (base.id.length === base.members.flat().length) {
      // base clusters are single participants: the one-shot partition of the same points is at least as tight
      const oneShot = base.members.map((m) => mine.get(String(m[0])) ?? -1);
      if (oneShot.every((l) => l >= 0) && map.groups.length === math["group-clusters"].length) {
        const polisInertia = weightedInertia(points, weights, polisLabels);
        const ownInertia = weightedInertia(points, weights, oneShot);
        t.diagnostic(`weighted inertia: Polis ${polisInertia.toFixed(3)}, one-shot ${ownInertia.toFixed(3)}`);
        assert.ok(ownInertia <= polisInertia + 1e-9);
      }
    }
    assert.ok(ari > 0.3);
  });
}
