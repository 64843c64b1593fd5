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
  const out = new Float64Array(weights.length);
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
  const out = new Float64Array(weights.length);
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
