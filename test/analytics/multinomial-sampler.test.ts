/** The bootstrap's multinomial sampler (Poisson draws fixed up to the exact total) against the multinomial's moments. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_TOTAL, multinomialSampler, poissonCounts } from "../../src/analytics/multinomial-sampler.ts";
import { logFactorial } from "../../src/analytics/poisson-tables.ts";
import { createRng } from "../../src/analytics/rng.ts";
import { pairwiseFixture } from "./fixtures.ts";

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

/** Poisson(mean) pmf for k = 0..last by the recursion from the mode, in logs (exact to rounding). */
function poissonPmf(mean: number, last: number): Float64Array {
  const pmf = new Float64Array(last + 1);
  const mode = Math.floor(mean);
  pmf[mode] = Math.exp(-mean + mode * Math.log(mean) - logFactorial(mode));
  for (let k = mode + 1; k <= last; k++) pmf[k] = ((pmf[k - 1] as number) * mean) / k;
  for (let k = mode - 1; k >= 0; k--) pmf[k] = ((pmf[k + 1] as number) * (k + 1)) / mean;
  return pmf;
}

for (const mean of [0.3, 7.5, 398.2, 5951.4, 100_000.5]) {
  test(`Poisson(${mean}) by the table and its tails: χ² against the exact pmf over 2,000,000 draws, every value its own bin where 5 are expected`, () => {
    // the table covers at least mean ± 3σ: about 0.3 % of draws (6,000 here) come from the tails beyond it, by a second
    // uniform inverting the tail's own distribution; single-value bins catch a tail drawn with the wrong shape
    const draws = 2_000_000;
    const counts = poissonCounts(mean, draws, createRng(31));
    const last = Math.ceil(mean + 20 * Math.sqrt(mean) + 40);
    const observed = new Float64Array(last + 1);
    for (const k of counts) observed[Math.min(k, last)] = (observed[Math.min(k, last)] as number) + 1;
    const pmf = poissonPmf(mean, last);
    let chi2 = 0;
    let bins = 0;
    let pooledObserved = 0;
    let pooledExpected = 0;
    let tailDraws = 0;
    for (let k = 0; k <= last; k++) {
      const expected = draws * (pmf[k] as number);
      if (Math.abs(k - mean) > 3 * Math.sqrt(mean) + 3) tailDraws += observed[k] as number;
      if (expected >= 5) {
        chi2 += ((observed[k] as number) - expected) ** 2 / expected;
        bins += 1;
      } else {
        pooledObserved += observed[k] as number;
        pooledExpected += expected;
      }
    }
    if (pooledExpected > 0) {
      chi2 += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
      bins += 1;
    }
    if (mean > 100) assert.ok(tailDraws > 1000, `${tailDraws} draws beyond ±3σ`);
    const df = bins - 1;
    assert.ok(chi2 < df + 5 * Math.sqrt(2 * df), `χ² = ${chi2} on ${df} degrees of freedom`);
  });
}

test("Chatbot Arena's 10,380 cells: each cell's variance over 2,000 rounds averages to N·p(1 − p) within 4 standard errors", () => {
  const rows = pairwiseFixture("arena-pairs", "arena/chatbotarena_20240814_pairs.json").input.pairs;
  const weights = new Float64Array(3 * rows.length);
  rows.forEach((row, k) => weights.set([row.winsA, row.winsB, row.ties + row.bothBad], 3 * k));
  const total = weights.reduce((s, w) => s + w, 0);
  const sampler = multinomialSampler(total, weights);
  const rng = createRng(4);
  const rounds = 2000;
  const sums = new Float64Array(weights.length);
  const squares = new Float64Array(weights.length);
  const out = new Int32Array(sampler.batchRounds * weights.length);
  for (let first = 0; first < rounds; first += sampler.batchRounds) {
    const batch = Math.min(sampler.batchRounds, rounds - first);
    sampler.drawBatch(rng, batch, out);
    for (let round = 0; round < batch; round++) {
      let sum = 0;
      for (let c = 0; c < weights.length; c++) {
        const v = out[round * weights.length + c] as number;
        sums[c] = (sums[c] as number) + v;
        squares[c] = (squares[c] as number) + v * v;
        sum += v;
      }
      assert.equal(sum, total);
    }
  }
  let ratios = 0;
  let cells = 0;
  let z = 0;
  weights.forEach((w, c) => {
    if (w === 0) return;
    const p = w / total;
    const mean = (sums[c] as number) / rounds;
    const variance = ((squares[c] as number) - rounds * mean * mean) / (rounds - 1);
    ratios += variance / (total * p * (1 - p));
    z += (mean - total * p) / Math.sqrt((total * p * (1 - p)) / rounds);
    cells += 1;
  });
  // each cell's variance ratio has standard error about √(2/rounds) (cells nearly independent): 0.03 each, 0.0003 for the mean
  const meanRatio = ratios / cells;
  assert.ok(Math.abs(meanRatio - 1) < 4 * Math.sqrt(2 / rounds / cells) + 0.001, `mean variance ratio ${meanRatio}`);
  // the means: their z-scores average to 0 with standard error 1/√cells
  assert.ok(Math.abs(z / cells) < 4 / Math.sqrt(cells), `mean z ${z / cells}`);
});

test("a total beyond what 32-bit counts hold is refused, not wrapped around", () => {
  assert.throws(() => multinomialSampler(MAX_TOTAL + 1, [1, 1]), RangeError);
  assert.equal(multinomialSampler(MAX_TOTAL, [1, 1]).batchRounds > 0, true);
});
