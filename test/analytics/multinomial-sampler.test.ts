/** The bootstrap's multinomial sampler (Poisson draws fixed up to the exact total) against the multinomial's moments. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { logFactorial, multinomialSampler } from "../../src/analytics/multinomial-sampler.ts";
import { createRng } from "../../src/analytics/rng.ts";

test("every draw sums to the total exactly and never makes a negative or fractional count", () => {
  const weights = [0, 3, 1, 250, 40, 7, 0, 12000, 2];
  const total = weights.reduce((s, w) => s + w, 0);
  const sampler = multinomialSampler(total, weights);
  const rng = createRng(1);
  const out = new Int32Array(weights.length);
  for (let k = 0; k < 2000; k++) {
    sampler.draw(rng, out);
    assert.equal(out.reduce((s, v) => s + v, 0), total);
    out.forEach((v, i) => {
      assert.ok(Number.isInteger(v) && v >= 0, `cell ${i}: ${v}`);
      if (weights[i] === 0) assert.equal(v, 0);
    });
  }
});

test("cell means, variances and a covariance match Multinomial(N, p) within 4 standard errors (small and large cells)", () => {
  const weights = [2, 5, 30, 400, 5000, 563];
  const total = 6000;
  const mass = weights.reduce((s, w) => s + w, 0);
  const sampler = multinomialSampler(total, weights);
  const rng = createRng(42);
  const rounds = 20_000;
  const sums = new Float64Array(weights.length);
  const squares = new Float64Array(weights.length);
  let cross = 0;
  const out = new Int32Array(weights.length);
  for (let k = 0; k < rounds; k++) {
    sampler.draw(rng, out);
    out.forEach((v, i) => {
      sums[i] = (sums[i] ?? 0) + v;
      squares[i] = (squares[i] ?? 0) + v * v;
    });
    cross += (out[3] ?? 0) * (out[4] ?? 0);
  }
  weights.forEach((w, i) => {
    const p = w / mass;
    const mean = (sums[i] ?? 0) / rounds;
    const variance = (squares[i] ?? 0) / rounds - mean * mean;
    const expectedVariance = total * p * (1 - p);
    assert.ok(Math.abs(mean - total * p) < 4 * Math.sqrt(expectedVariance / rounds), `cell ${i} mean ${mean} vs ${total * p}`);
    // the sample variance's standard error is about variance·√(2/rounds)
    assert.ok(Math.abs(variance / expectedVariance - 1) < 4 * Math.sqrt(2 / rounds) + 0.01, `cell ${i} variance ${variance} vs ${expectedVariance}`);
  });
  const p3 = (weights[3] ?? 0) / mass;
  const p4 = (weights[4] ?? 0) / mass;
  const covariance = cross / rounds - ((sums[3] ?? 0) / rounds) * ((sums[4] ?? 0) / rounds);
  const expected = -total * p3 * p4;
  assert.ok(Math.abs(covariance / expected - 1) < 0.1, `covariance ${covariance} vs ${expected}`);
});

test("log k! agrees with the sum of logs across the table's edge", () => {
  let exact = 0;
  for (let k = 1; k <= 200; k++) {
    exact += Math.log(k);
    assert.ok(Math.abs(logFactorial(k) - exact) < 1e-9 * Math.max(1, exact), `k = ${k}`);
  }
});

test("batches: every round sums to the total, and one cell's counts over 64,000 rounds follow Binomial(N, p) (χ², tails pooled)", () => {
  // cell 1 has mean N·p = 40 (its table spans about 40 ± 4.5·√40; the tails beyond it, together below 1e-5, are
  // too rare to be reached here): the batch path, the guide table and the fix-up to the total together
  const weights = [5000, 40, 7, 953];
  const total = 6000;
  const mass = weights.reduce((s, w) => s + w, 0);
  const sampler = multinomialSampler(total, weights);
  const rng = createRng(8);
  const out = new Int32Array(sampler.batchRounds * weights.length);
  const rounds = 64_000;
  const observed = new Map<number, number>();
  for (let first = 0; first < rounds; first += sampler.batchRounds) {
    const batch = Math.min(sampler.batchRounds, rounds - first);
    sampler.drawBatch(rng, batch, out);
    for (let round = 0; round < batch; round++) {
      const counts = out.subarray(round * weights.length, (round + 1) * weights.length);
      assert.equal(counts.reduce((s, v) => s + v, 0), total);
      const k = counts[1] ?? -1;
      observed.set(k, (observed.get(k) ?? 0) + 1);
    }
  }
  // Binomial(6000, p) pmf by the recursion from k = 0, in logs
  const p = (weights[1] ?? 0) / mass;
  const pmf: number[] = [];
  let logP = total * Math.log1p(-p);
  for (let k = 0; k <= 120; k++) {
    pmf.push(Math.exp(logP));
    logP += Math.log((total - k) / (k + 1)) + Math.log(p / (1 - p));
  }
  // bins with an expected count ≥ 5; the rest pooled into the two tails
  let chi2 = 0;
  let bins = 0;
  let lowExpected = 0;
  let lowObserved = 0;
  let k = 0;
  for (; rounds * (pmf[k] ?? 0) < 5; k++) {
    lowExpected += rounds * (pmf[k] ?? 0);
    lowObserved += observed.get(k) ?? 0;
  }
  chi2 += (lowObserved - lowExpected) ** 2 / lowExpected;
  bins += 1;
  let seen = lowObserved;
  let expectedSoFar = lowExpected;
  for (; rounds * (pmf[k] ?? 0) >= 5; k++) {
    const expected = rounds * (pmf[k] ?? 0);
    const got = observed.get(k) ?? 0;
    chi2 += (got - expected) ** 2 / expected;
    bins += 1;
    seen += got;
    expectedSoFar += expected;
  }
  const highExpected = rounds - expectedSoFar;
  chi2 += (rounds - seen - highExpected) ** 2 / highExpected;
  bins += 1;
  // χ² with bins − 1 degrees of freedom: mean df, sd √(2·df); 5 standard deviations above the mean
  const df = bins - 1;
  assert.ok(chi2 < df + 5 * Math.sqrt(2 * df), `χ² = ${chi2} on ${df} degrees of freedom`);
});
