import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng, shuffleInPlace } from "../../src/analytics/rng.ts";
import { ELO_DEFAULTS, eloOrderSpread, onlineElo, type ComparisonSequence } from "../../src/analytics/results/elo.ts";

/** The order spread computed the plain way: shuffle an index array, replay through it. */
function referenceRuns(n: number, sequence: ComparisonSequence, permutations: number, seed: number): Float64Array[] {
  const rng = createRng(seed);
  const order = Uint32Array.from({ length: sequence.a.length }, (_, i) => i);
  return Array.from({ length: permutations }, () => onlineElo(n, sequence, ELO_DEFAULTS, shuffleInPlace(rng, order)));
}

function randomSequence(n: number, count: number, scores: readonly number[], seed: number): ComparisonSequence {
  const rng = createRng(seed);
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  const scoreA = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const x = Math.floor(rng.next() * n);
    a[k] = x;
    b[k] = (x + 1 + Math.floor(rng.next() * (n - 1))) % n;
    scoreA[k] = scores[Math.floor(rng.next() * scores.length)] ?? 0.5;
  }
  return { a, b, scoreA };
}

for (const [label, scores] of [["wins, losses and ties (replayed packed)", [1, 0, 0.5]], ["other scores (replayed through an index)", [1, 0, 0.25]]] as const) {
  test(`Elo's order spread equals the plain replay of the same seeded orders: ${label}`, () => {
    const n = 12;
    const sequence = randomSequence(n, 5_000, scores, 3);
    const spread = eloOrderSpread(n, sequence, { permutations: 9, seed: 11 });
    const runs = referenceRuns(n, sequence, 9, 11);
    for (let i = 0; i < n; i++) {
      const values = runs.map((run) => run[i] ?? NaN).sort((x, y) => x - y);
      assert.equal(spread.min[i], values[0], `min of subject ${i}`);
      assert.equal(spread.max[i], values[values.length - 1], `max of subject ${i}`);
    }
    // the spread is real: orders change the ratings
    assert.ok(Math.max(...spread.sd) > 0.1);
  });
}
