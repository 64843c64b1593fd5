/**
 * The sampler's WebAssembly Poisson draws against the alias-table pick stated in TypeScript here: from the same
 * uniform stream (mulberry32 seeded as the sampler seeds it), every draw is the table's value exactly, or a tail
 * symbol resolved to a value beyond the table on the symbol's side.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { poissonCounts } from "../../../src/analytics/multinomial-sampler.ts";
import { poissonTables } from "../../../src/analytics/poisson-tables.ts";
import { createRng } from "../../../src/analytics/rng.ts";

function mulberry32Bits(state: number): number {
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

for (const mean of [0.3, 7.5, 398.2, 5951.4]) {
  test(`Poisson(${mean}): each of 20,000 kernel draws is the alias table's pick for its uniform (tails beyond the table on their side)`, () => {
    const draws = 20_000;
    const counts = poissonCounts(mean, draws, createRng(77));
    const tables = poissonTables(Float64Array.of(mean));
    const b = tables.bits[0] as number;
    const lo = tables.lo[0] as number;
    const length = tables.length[0] as number;
    let state = Math.floor(createRng(77).next() * 4294967296) >>> 0;
    let tails = 0;
    for (let d = 0; d < draws; d++) {
      state = (state + 0x6d2b79f5) >>> 0;
      const x = mulberry32Bits(state);
      const bucket = Math.floor(x / 2 ** (32 - b));
      const word = (tables.entry[bucket] as number) >>> 0;
      const cut = Math.floor(word / 2 ** b);
      const symbol = x % 2 ** (32 - b) < cut ? bucket : word % 2 ** b;
      const value = counts[d] as number;
      if (symbol < length) assert.equal(value, lo + symbol, `draw ${d}`);
      else {
        tails += 1;
        if (symbol === length) assert.ok(value < lo, `draw ${d}: lower tail gave ${value}`);
        else assert.ok(value > lo + length - 1, `draw ${d}: upper tail gave ${value}`);
      }
    }
    // about 0.3 % of draws fall beyond mean ± 3σ (fewer for small means, whose table starts at 0)
    assert.ok(tails < 0.01 * draws, `${tails} tail draws`);
  });
}
