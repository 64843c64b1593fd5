/** The seeded generator and samplers: determinism and the moments of Binomial/Multinomial. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { binomial, createRng, multinomial, randomPermutation, shuffleInPlace, shuffleInt32InPlace } from "../../src/analytics/rng.ts";

test("the same seed gives the same stream, another seed another", () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const first = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(first, Array.from({ length: 5 }, () => b.next()));
  assert.notDeepEqual(first, Array.from({ length: 5 }, () => c.next()));
  for (const value of first) assert.ok(value >= 0 && value < 1);
});

// For each (n, p): the sample mean of 20,000 draws must be within 5 standard errors of n·p and the
// sample variance within 5% of n·p·(1−p) (its relative standard error is about √(2/20000) = 1%).
for (const [n, p] of [[20, 0.1], [1000, 0.3], [1_670_250, 0.0004], [1_670_250, 0.37], [500, 0.9]] as const) {
  test(`Binomial(${n}, ${p}) has mean n·p and variance n·p·(1−p)`, () => {
    const rng = createRng(n + Math.round(p * 1e6));
    const draws = 20_000;
    let sum = 0;
    let sumSquares = 0;
    for (let k = 0; k < draws; k++) {
      const x = binomial(rng, n, p);
      assert.ok(Number.isInteger(x) && x >= 0 && x <= n);
      sum += x;
      sumSquares += x * x;
    }
    const mean = sum / draws;
    const variance = (sumSquares - draws * mean * mean) / (draws - 1);
    const expectedVariance = n * p * (1 - p);
    assert.ok(Math.abs(mean - n * p) < 5 * Math.sqrt(expectedVariance / draws), `mean ${mean}`);
    assert.ok(Math.abs(variance / expectedVariance - 1) < 0.05, `variance ${variance} vs ${expectedVariance}`);
  });
}

test("Binomial(30, 0.5) follows the exact distribution (χ² over 31 cells below the 0.999 quantile)", () => {
  const rng = createRng(5);
  const draws = 100_000;
  const counts = new Array<number>(31).fill(0);
  for (let k = 0; k < draws; k++) counts[binomial(rng, 30, 0.5)]! += 1;
  let choose = 1;
  let chiSquare = 0;
  for (let x = 0; x <= 30; x++) {
    const expected = (draws * choose) / 2 ** 30;
    if (expected > 5) chiSquare += ((counts[x] ?? 0) - expected) ** 2 / expected;
    choose = (choose * (30 - x)) / (x + 1);
  }
  // cells with expected > 5: x = 6..24 (19 cells, 18 degrees of freedom); χ²(18) 0.999 quantile ≈ 42.3
  assert.ok(chiSquare < 42.3, `χ² = ${chiSquare}`);
});

test("a multinomial draw sums to its total and follows the weights", () => {
  const rng = createRng(9);
  const weights = [5, 0, 3, 2];
  const out = new Float64Array(4);
  const totals = new Float64Array(4);
  for (let k = 0; k < 2000; k++) {
    multinomial(rng, 1000, weights, out);
    assert.equal(out.reduce((s, v) => s + v, 0), 1000);
    assert.equal(out[1], 0);
    for (let i = 0; i < 4; i++) totals[i]! += out[i] ?? 0;
  }
  // expected shares 0.5, 0, 0.3, 0.2 of 2,000,000 draws; standard error of a share ≈ 0.00035
  assert.ok(Math.abs((totals[0] ?? 0) / 2e6 - 0.5) < 0.002);
  assert.ok(Math.abs((totals[2] ?? 0) / 2e6 - 0.3) < 0.002);
});

test("a random permutation holds every index once", () => {
  const order = randomPermutation(createRng(1), 100);
  assert.deepEqual([...order].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
});

test("the typed-array shuffle draws what the generic shuffle draws: the same permutation, the generator left in the same state", () => {
  for (const length of [0, 1, 2, 1_000, 100_003]) {
    const generic = createRng(length + 7);
    const typed = createRng(length + 7);
    const expected = shuffleInPlace(generic, Int32Array.from({ length }, (_, i) => i * 3));
    assert.deepEqual(shuffleInt32InPlace(typed, Int32Array.from({ length }, (_, i) => i * 3)), expected, `length ${length}`);
    assert.equal(typed.next(), generic.next(), `the next draw after length ${length}`);
  }
});

test("the typed-array shuffle with another generator falls back to its draws", () => {
  const draws = [0.9, 0.1, 0.5, 0.7];
  const replay = (): { next(): number } => {
    let k = 0;
    return { next: () => draws[k++ % draws.length] ?? 0 };
  };
  assert.deepEqual(shuffleInt32InPlace(replay(), Int32Array.of(1, 2, 3, 4, 5)), shuffleInPlace(replay(), Int32Array.of(1, 2, 3, 4, 5)));
});
