/** The cost to manipulate a rank, checked by adding that many votes and refitting the published rule. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runBradleyTerry } from "../../src/analytics/results/bt-rule.ts";
import { fitStrengths, problemFromRows } from "../../src/analytics/results/bt-problem.ts";
import { manipulationCosts, MANIPULATION_METHOD, smallestSwap, withAddedVotes } from "../../src/analytics/results/manipulation-cost.ts";
import { createRng } from "../../src/analytics/rng.ts";
import { rowsOfVotes } from "../../src/analytics/results/individual-votes.ts";
import type { PairRow } from "../../src/analytics/results/types.ts";
import { pairwiseFixture } from "./fixtures.ts";
import { plantedVotes } from "./planted.ts";

const SUBJECTS = ["s0", "s1", "s2", "s3", "s4"];

/** The rows with `votes` more decisive wins of `winner` over `loser`. */
function withVotes(rows: readonly PairRow[], winner: number, loser: number, votes: number): PairRow[] {
  const a = Math.min(winner, loser);
  const b = Math.max(winner, loser);
  const extra = winner === a ? { winsA: votes, winsB: 0 } : { winsA: 0, winsB: votes };
  const found = rows.some((row) => row.a === a && row.b === b);
  const added = rows.map((row) => (row.a === a && row.b === b ? { ...row, winsA: row.winsA + extra.winsA, winsB: row.winsB + extra.winsB } : row));
  return found ? added : [...added, { a, b, ties: 0, bothBad: 0, ...extra }];
}

function scores(rows: readonly PairRow[]): Map<string, number> {
  const bt = runBradleyTerry({ subjects: SUBJECTS, pairs: rows }, { rounds: 0, seed: 0 });
  return new Map(bt.subjects.map((s) => [s.name, s.score]));
}

test("for every pair of neighbours, that many added votes swap them in the refitted board, and one fewer does not", () => {
  const votes = plantedVotes(Array.from({ length: 30 }, (_, i) => ({ key: `p${i}`, strengths: [0.6, 0.35, 0.2, -0.4, -0.75] })), SUBJECTS.length, 2, 5);
  const rows = rowsOfVotes(votes);
  const costs = manipulationCosts(SUBJECTS, rows, { topTier: ["s0"] });
  assert.ok(costs, "costs on a connected board");
  assert.equal(costs.pairs.length, SUBJECTS.length - 1, "one cost per pair of neighbours");
  const base = scores(rows);
  for (const pair of [...costs.pairs, ...(costs.intoTopTier ? [costs.intoTopTier] : [])]) {
    assert.ok(pair.votes !== null && pair.votes > 0, `${pair.lower} over ${pair.upper}: a finite positive cost`);
    assert.ok((base.get(pair.upper) ?? 0) > (base.get(pair.lower) ?? 0), "upper is above lower before the attack");
    const upper = SUBJECTS.indexOf(pair.upper);
    const lower = SUBJECTS.indexOf(pair.lower);
    const after = scores(withVotes(rows, lower, upper, pair.votes));
    assert.ok((after.get(pair.lower) ?? 0) > (after.get(pair.upper) ?? 0), `${pair.votes} votes put ${pair.lower} above ${pair.upper}`);
    const short = scores(withVotes(rows, lower, upper, pair.votes - 1));
    // (a tie counts as no swap; 1e-6 rating points is the fit's rounding)
    assert.ok((short.get(pair.lower) ?? 0) <= (short.get(pair.upper) ?? 0) + 1e-6, `${pair.votes - 1} votes leave ${pair.lower} at most level with ${pair.upper}`);
  }
  assert.equal(costs.intoTopTier?.lower, "s4", "the last subject is lifted");
  assert.equal(costs.intoTopTier?.upper, "s0", "above the weakest member of the top tier");
  // closer neighbours are cheaper to swap: s1–s2 (0.15 apart) costs less than s2–s3 (0.6 apart)
  const cost = (upper: string) => costs.pairs.find((p) => p.upper === upper)?.votes ?? NaN;
  assert.ok(cost("s1") < cost("s2"), `s1/s2 ${cost("s1")} < s2/s3 ${cost("s2")}`);
});

test("a hand-checked case: two subjects, 30 wins to 10, are swapped by exactly 21 votes", () => {
  // two subjects: the MLE difference is log10(wins ratio), so the order swaps once the loser has more wins: 10 + 21 > 30
  const costs = manipulationCosts(["x", "y"], [{ a: 0, b: 1, winsA: 30, winsB: 10, ties: 0, bothBad: 0 }]);
  assert.equal(costs?.pairs[0]?.votes, 21);
  assert.equal(costs?.intoTopTier?.votes, 21);
});

test("a board that is not on one scale gets no costs", () => {
  assert.equal(manipulationCosts(["x", "y", "z"], [{ a: 0, b: 1, winsA: 3, winsB: 1, ties: 0, bothBad: 0 }]), null);
});

test("on the Chatbot Arena pairs (129 models), the cheapest, median and costliest swaps and the last into the top tier hold when refitted", () => {
  const { subjects, pairs } = pairwiseFixture("arena-pairs", "arena/chatbotarena_20240814_pairs.json").input;
  const board = (rows: readonly PairRow[]) => new Map(runBradleyTerry({ subjects, pairs: rows }, { rounds: 0, seed: 0 }).subjects.map((s) => [s.name, s.score]));
  const published = runBradleyTerry({ subjects, pairs }, { rounds: 0, seed: 0, intervals: "sandwich" });
  const costs = manipulationCosts(subjects, pairs, { topTier: published.subjects.filter((s) => s.rank === 1).map((s) => s.name) });
  assert.ok(costs);
  assert.equal(costs.pairs.length, 128);
  const byCost = costs.pairs.filter((p) => p.votes !== null).sort((x, y) => (x.votes ?? 0) - (y.votes ?? 0));
  const checked = [byCost[0], byCost[Math.floor(byCost.length / 2)], byCost[byCost.length - 1], costs.intoTopTier];
  for (const pair of checked) {
    assert.ok(pair && pair.votes !== null && pair.votes > 0);
    const upper = subjects.indexOf(pair.upper);
    const lower = subjects.indexOf(pair.lower);
    const after = board(withVotes(pairs, lower, upper, pair.votes));
    assert.ok((after.get(pair.lower) ?? 0) > (after.get(pair.upper) ?? 0), `${pair.votes} votes: ${pair.lower} above ${pair.upper}`);
    const short = board(withVotes(pairs, lower, upper, pair.votes - 1));
    assert.ok((short.get(pair.lower) ?? 0) <= (short.get(pair.upper) ?? 0) + 1e-6, `${pair.votes - 1} votes: ${pair.lower} not above ${pair.upper}`);
  }
  // a few hundred votes move an Arena rank ("vote rigging"): most neighbours swap for far fewer than that
  assert.ok((byCost[Math.floor(byCost.length / 2)]?.votes ?? Infinity) < 300, "the median neighbour swap costs fewer than 300 votes");
});

test("the search returns the smallest swapping count of a monotone test from any guess; a right guess costs two refits", () => {
  for (const threshold of [1, 2, 3, 17, 64, 65, 1000]) {
    for (const guess of [1, 2, threshold - 1, threshold, threshold + 1, 5 * threshold, 4096].filter((g) => g >= 1 && g <= 4096)) {
      const checked: number[] = [];
      const found = smallestSwap((v) => (checked.push(v), v >= threshold), guess, 4096);
      assert.equal(found, threshold, `threshold ${threshold} from guess ${guess}`);
      if (guess === threshold) assert.deepEqual(checked, threshold === 1 ? [1] : [threshold, threshold - 1], "the guess and one fewer");
    }
  }
  assert.equal(smallestSwap((v) => v >= 5000, 3000, 4096), null, "beyond maxVotes: null");
  assert.equal(smallestSwap((v) => v >= 4096, 1, 4096), 4096, "exactly maxVotes");
});

test("on random boards, each cost equals a brute-force scan: the first count whose Newton refit swaps the pair", () => {
  const rng = createRng(11);
  const subjects = ["s0", "s1", "s2", "s3", "s4", "s5"];
  for (let board = 0; board < 6; board++) {
    const strengths = subjects.map(() => rng.next() * 0.6);
    const rows: PairRow[] = [];
    for (let a = 0; a < subjects.length; a++) {
      for (let b = a + 1; b < subjects.length; b++) {
        const p = 1 / (1 + Math.pow(10, (strengths[b] ?? 0) - (strengths[a] ?? 0)));
        const n = 5 + Math.floor(rng.next() * 20);
        let winsA = 0;
        for (let k = 0; k < n; k++) winsA += rng.next() < p ? 1 : 0;
        rows.push({ a, b, winsA, winsB: n - winsA, ties: rng.next() < 0.5 ? 1 : 0, bothBad: 0 });
      }
    }
    const costs = manipulationCosts(subjects, rows);
    assert.ok(costs, "a connected board");
    assert.equal(costs.method, MANIPULATION_METHOD);
    const base = problemFromRows(subjects.length, rows);
    for (const pair of [...costs.pairs, ...(costs.intoTopTier ? [costs.intoTopTier] : [])]) {
      const upper = subjects.indexOf(pair.upper);
      const lower = subjects.indexOf(pair.lower);
      let scanned = 0;
      for (;;) {
        const r = fitStrengths(withAddedVotes(base, lower, upper, scanned));
        assert.ok(r, "the refit converges");
        if ((r[lower] ?? 0) - (r[upper] ?? 0) > 1e-9) break;
        scanned++;
      }
      assert.equal(pair.votes, scanned, `board ${board}: ${pair.lower} over ${pair.upper}`);
    }
  }
});

test("with a cap on the votes, pairs dearer than the cap get null and the others keep their cost", () => {
  const rows: PairRow[] = [
    { a: 0, b: 1, winsA: 30, winsB: 10, ties: 0, bothBad: 0 },
    { a: 1, b: 2, winsA: 300, winsB: 100, ties: 20, bothBad: 0 },
  ];
  const free = manipulationCosts(["x", "y", "z"], rows);
  assert.ok(free);
  const costs = free.pairs.map((p) => p.votes ?? NaN);
  assert.ok(costs.every((v) => v > 0), `${costs}`);
  const cap = Math.min(...costs);
  const capped = manipulationCosts(["x", "y", "z"], rows, { maxVotes: cap });
  assert.ok(capped);
  assert.equal(capped.maxVotes, cap);
  capped.pairs.forEach((pair, i) => assert.equal(pair.votes, costs[i] === cap ? cap : null, `${pair.lower} over ${pair.upper}`));
});
