/** Krippendorff's α, outcome shares, ratings, Kendall's τ-b and group divergence against hand-checked values. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { krippendorffAlpha } from "../../src/analytics/results/krippendorff.ts";
import { summariseRatings } from "../../src/analytics/results/ratings.ts";
import { compareOrders, groupDivergence, ruleSensitivity, RULE_ASSUMPTIONS } from "../../src/analytics/results/sensitivity.ts";
import { outcomeShares } from "../../src/analytics/results/shares.ts";
import { rankedPairsOrder, tallyFromPairs } from "../../src/analytics/results/ranked-pairs.ts";
import type { RuleResult } from "../../src/analytics/results/types.ts";

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 observers × 12 units example
// with missing values: published α = 0.743 nominal, 0.815 ordinal, 0.849 interval.
const o = null;
const BY_OBSERVER = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, o, o, o],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, o, 3],
  [o, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, o],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, o],
];
const UNITS = BY_OBSERVER[0]?.map((_, unit) => BY_OBSERVER.map((observer) => observer[unit] ?? null)) ?? [];

test("Krippendorff's α reproduces the published example at every level", () => {
  assert.equal(krippendorffAlpha(UNITS, "nominal")?.toFixed(3), "0.743");
  assert.equal(krippendorffAlpha(UNITS, "ordinal")?.toFixed(3), "0.815");
  assert.equal(krippendorffAlpha(UNITS, "interval")?.toFixed(3), "0.849");
});

test("Krippendorff's α is 1 for perfect agreement and undefined (null) without variation", () => {
  assert.equal(krippendorffAlpha([[1, 1], [2, 2], [3, 3]], "nominal"), 1);
  assert.equal(krippendorffAlpha([[1, 1], [1, 1]], "interval"), null);
});

test("Kendall's τ-b with ties equals the hand count, and flipped pairs are named", () => {
  // x = a1 b2 c2 d3, y = a1 b3 c2 d2 (higher = better). Pairs: ab C, ac C, ad C, bc tied in x,
  // bd D, cd tied in y → C 3, D 1, n0 6, ties x 1, ties y 1: τ-b = 2 / √(5·5) = 0.4
  const x = new Map([["a", 1], ["b", 2], ["c", 2], ["d", 3]]);
  const y = new Map([["a", 1], ["b", 3], ["c", 2], ["d", 2]]);
  const comparison = compareOrders(x, y);
  assert.ok(Math.abs((comparison.tau ?? 0) - 0.4) < 1e-12);
  assert.deepEqual(comparison.flipped, [{ first: "d", second: "b" }]);
});

function result(rule: RuleResult["rule"], scores: Record<string, number>): RuleResult {
  return {
    rule,
    parameters: {},
    assumption: RULE_ASSUMPTIONS[rule],
    used: 1,
    excluded: [],
    components: [],
    warnings: [],
    subjects: Object.entries(scores).map(([name, score]) => ({ name, score, lower: null, upper: null, rank: 1 })),
  };
}

test("rule sensitivity compares every two rules; group divergence compares each group with the overall order", () => {
  const rules = [result("bt", { a: 3, b: 2, c: 1 }), result("elo", { a: 3, b: 1, c: 2 }), result("counting", { a: 1, b: 2, c: 3 })];
  const pairs = ruleSensitivity(rules);
  assert.deepEqual(pairs.map((p) => p.rules), [["bt", "elo"], ["bt", "counting"], ["elo", "counting"]]);
  assert.ok(Math.abs((pairs[0]?.tau ?? 0) - 1 / 3) < 1e-12);
  assert.equal(pairs[1]?.tau, -1);
  const groups = groupDivergence(rules[0] as RuleResult, [{ group: "g1", result: rules[2] as RuleResult }]);
  assert.equal(groups[0]?.tau, -1);
  assert.equal(groups[0]?.flipped.length, 3);
});

test("every rule states its assumption in plain language", () => {
  assert.match(RULE_ASSUMPTIONS.bt, /latent quality/);
  assert.match(RULE_ASSUMPTIONS.bt, /transitive/);
  assert.match(RULE_ASSUMPTIONS.borda, /intensity/);
  assert.match(RULE_ASSUMPTIONS["ranked-pairs"], /[Mm]ajority/);
  assert.match(RULE_ASSUMPTIONS["mean-rating"], /scales are comparable/);
  assert.match(RULE_ASSUMPTIONS.elo, /order matter/);
});

test("ratings: mean, median and a bootstrap interval per subject and dimension", () => {
  const records = [1, 2, 3, 4, 5].map((score) => ({ subject: "m", dimension: "clarity", score }));
  const [summary, single] = summariseRatings([...records, { subject: "n", dimension: "clarity", score: 4 }], { rounds: 2000, seed: 1 });
  assert.equal(summary?.mean, 3);
  assert.equal(summary?.median, 3);
  // the bootstrap mean of 5 values has sd √(2/5) ≈ 0.63: the 95% interval spans roughly 1.8..4.2
  assert.ok((summary?.lower ?? 0) > 1.4 && (summary?.lower ?? 9) < 2.2);
  assert.ok((summary?.upper ?? 0) > 3.8 && (summary?.upper ?? 9) < 4.6);
  assert.deepEqual(single, { subject: "n", dimension: "clarity", count: 1, mean: 4, median: 4, lower: null, upper: null });
});

test("shares of tie, both_bad, abstention and contest per item and subject", () => {
  const { byItem, bySubject } = outcomeShares([
    { item: "i1", subjects: ["a", "b"], kind: "pairwise", outcome: "tie" },
    { item: "i1", subjects: ["a", "b"], kind: "pairwise", outcome: "a" },
    { item: "i1", subjects: ["a", "b"], kind: "abstention" },
    { item: "i2", subjects: ["a", "c"], kind: "contest" },
  ]);
  assert.deepEqual(byItem[0], { key: "i1", judgments: 3, tie: 1 / 3, bothBad: 0, abstention: 1 / 3, contest: 0 });
  assert.deepEqual(bySubject[0], { key: "a", judgments: 4, tie: 0.25, bothBad: 0, abstention: 0.25, contest: 0.25 });
});

test("ranked pairs on pairwise data uses majority margins; an exact cycle is a tie, not ordered by label", () => {
  const cycle = [
    { a: 0, b: 1, winsA: 3, winsB: 1, ties: 5, bothBad: 0 },
    { a: 1, b: 2, winsA: 3, winsB: 1, ties: 0, bothBad: 2 },
    { a: 0, b: 2, winsA: 1, winsB: 3, ties: 0, bothBad: 0 },
  ];
  assert.deepEqual(rankedPairsOrder(tallyFromPairs(3, cycle)), [[0, 1, 2]]);
});
