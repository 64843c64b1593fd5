import assert from "node:assert/strict";
import { test } from "node:test";
import { createRng, shuffleInPlace } from "../../src/analytics/rng.ts";
import { ELO_DEFAULTS, eloOrderSpread, onlineElo, packJudgment, type ComparisonSequence } from "../../src/analytics/results/elo.ts";
import { runElo } from "../../src/analytics/results/elo-rule.ts";
import type { PairRow } from "../../src/analytics/results/types.ts";

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

test("the spread over packed judgments equals the spread over the same judgments as a sequence", () => {
  const n = 9;
  const sequence = randomSequence(n, 4_000, [1, 0, 0.5], 8);
  const words = Int32Array.from(sequence.a, (a, k) => packJudgment(a, sequence.b[k] ?? 0, sequence.scoreA[k] ?? 0) ?? NaN);
  const fromWords = eloOrderSpread(n, { words }, { permutations: 7, seed: 2 });
  assert.deepEqual(fromWords, eloOrderSpread(n, sequence, { permutations: 7, seed: 2 }));
  assert.deepEqual(Array.from(words.slice(0, 3)), [0, 1, 2].map((k) => packJudgment(sequence.a[k] ?? 0, sequence.b[k] ?? 0, sequence.scoreA[k] ?? 0)), "the caller's words are left in place");
});

// FastChat's compute_online_elo: expected score 1 / (1 + BASE ** ((rb - ra) / SCALE)), K 4, start 1000.
function fastChatElo(n: number, sequence: ComparisonSequence, kFactor = 4, initial = 1000): Float64Array {
  const ratings = new Float64Array(n).fill(initial);
  for (let k = 0; k < sequence.a.length; k++) {
    const a = sequence.a[k] ?? 0;
    const b = sequence.b[k] ?? 0;
    const ra = ratings[a] ?? 0;
    const rb = ratings[b] ?? 0;
    const expectedA = 1 / (1 + 10 ** ((rb - ra) / 400));
    const scoreA = sequence.scoreA[k] ?? 0;
    ratings[a] = ra + kFactor * (scoreA - expectedA);
    ratings[b] = rb + kFactor * (1 - scoreA - (1 - expectedA));
  }
  return ratings;
}

test("Elo's expected score through exp agrees with FastChat's power form within 1e-9 over 200,000 judgments", () => {
  const n = 30;
  const sequence = randomSequence(n, 200_000, [1, 0, 0.5], 21);
  const reference = fastChatElo(n, sequence);
  const ours = onlineElo(n, sequence);
  for (let i = 0; i < n; i++) assert.ok(Math.abs((ours[i] ?? NaN) - (reference[i] ?? NaN)) < 1e-9, `subject ${i}: ${ours[i]} vs ${reference[i]}`);
});

test("count rows are replayed in the documented seeded order: rows expanded in order, shuffled with seed ^ 0x5bd1e995", () => {
  const subjects = ["a", "b", "c", "d"];
  const pairs: PairRow[] = [
    { a: 0, b: 1, winsA: 40, winsB: 25, ties: 10, bothBad: 3 },
    { a: 1, b: 2, winsA: 30, winsB: 31, ties: 0, bothBad: 5 },
    { a: 2, b: 3, winsA: 12, winsB: 50, ties: 7, bothBad: 0 },
    { a: 3, b: 0, winsA: 22, winsB: 18, ties: 4, bothBad: 1 },
  ];
  const seed = 5;
  const expanded = pairs.flatMap((row) =>
    ([[row.winsA, 1], [row.winsB, 0], [row.ties + row.bothBad, 0.5]] as const).flatMap(([count, score]) => Array.from({ length: count }, () => [row.a, row.b, score] as const)),
  );
  const order = shuffleInPlace(createRng(seed ^ 0x5bd1e995), Uint32Array.from(expanded, (_, i) => i));
  const sequence = {
    a: Int32Array.from(order, (i) => expanded[i]?.[0] ?? 0),
    b: Int32Array.from(order, (i) => expanded[i]?.[1] ?? 0),
    scoreA: Float64Array.from(order, (i) => expanded[i]?.[2] ?? 0),
  };
  const expected = onlineElo(subjects.length, sequence);
  const result = runElo({ subjects, pairs }, { permutations: 0, seed });
  for (const subject of result.subjects) assert.equal(subject.score, expected[subjects.indexOf(subject.name)], subject.name);
});

test("with a large K (steps past the Taylor range) and another start, the powers still track FastChat's form within 1e-9", () => {
  const n = 8;
  const sequence = randomSequence(n, 50_000, [1, 0, 0.5], 4);
  for (const [k, initial] of [[32, 1500], [4, 0], [400, 1000]] as const) {
    const reference = fastChatElo(n, sequence, k, initial);
    const ours = onlineElo(n, sequence, { ...ELO_DEFAULTS, k, initial });
    for (let i = 0; i < n; i++) assert.ok(Math.abs((ours[i] ?? NaN) - (reference[i] ?? NaN)) < 1e-9 * Math.max(1, k / 4), `K ${k}, start ${initial}, subject ${i}: ${ours[i]} vs ${reference[i]}`);
  }
});

test("a subject that always wins, with a huge K (every step past the Taylor range), tracks FastChat's form", () => {
  const count = 20_000;
  const sequence = { a: new Int32Array(count), b: new Int32Array(count).fill(1), scoreA: new Float64Array(count).fill(1) };
  const reference = fastChatElo(2, sequence, 4000, 1000);
  const ours = onlineElo(2, sequence, { ...ELO_DEFAULTS, k: 4000 });
  assert.ok(ours.every(Number.isFinite), `${ours[0]}, ${ours[1]}`);
  assert.ok((ours[0] ?? 0) - (ours[1] ?? 0) > 3000, "the winner runs far ahead");
  for (let i = 0; i < 2; i++) assert.ok(Math.abs((ours[i] ?? NaN) - (reference[i] ?? NaN)) < 1e-6, `subject ${i}: ${ours[i]} vs ${reference[i]}`);
});
