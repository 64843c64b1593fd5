/**
 * The kernels against evalica's published scores for the LLMFAO crowd comparisons
 * (test/fixtures/llmfao/golden-rankings.csv): same order, and the scores within stated tolerances.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { runRules } from "../../src/analytics/results/run.ts";
import type { RuleResult } from "../../src/analytics/results/types.ts";
import { fixtureText, pairwiseFixture } from "./fixtures.ts";

const dataset = pairwiseFixture("llmfao", "llmfao/crowd-comparisons.csv");
const golden = parse(fixtureText("llmfao/golden-rankings.csv"), { columns: true }) as { algorithm: string; item: string; score: string }[];

function goldenScores(algorithm: string): Map<string, number> {
  return new Map(golden.filter((row) => row.algorithm === algorithm).map((row) => [row.item, Number(row.score)]));
}

function orderOf(scores: ReadonlyMap<string, number>): string[] {
  return [...scores.entries()].sort(([x, a], [y, b]) => b - a || (x < y ? -1 : 1)).map(([name]) => name);
}

function scoresOf(result: RuleResult | undefined): Map<string, number> {
  assert.ok(result);
  return new Map(result.subjects.map((s) => [s.name, s.score]));
}

const [bt, elo, winRate, counting] = runRules(dataset.input, { rules: ["bt", "elo", "win-rate", "counting"], rounds: 0, permutations: 0 });

test("the file holds 8,931 comparisons of 59 models, all used", () => {
  assert.equal(dataset.input.subjects.length, 59);
  for (const result of [bt, elo, winRate, counting]) assert.equal(result?.used, 8931);
});

test("Elo in file order (K 4, start 1000, tie 0.5) matches evalica within 1e-9, same order", () => {
  const expected = goldenScores("elo");
  const actual = scoresOf(elo);
  assert.deepEqual(orderOf(actual), orderOf(expected));
  for (const [name, score] of expected) assert.ok(Math.abs((actual.get(name) ?? NaN) - score) < 1e-9, name);
});

test("counting (tie = 0.5) matches exactly, same order", () => {
  const expected = goldenScores("counting");
  const actual = scoresOf(counting);
  assert.deepEqual(orderOf(actual), orderOf(expected));
  for (const [name, score] of expected) assert.equal(actual.get(name), score, name);
});

test("average win rate matches, same order (equal up to the last bit of summation order: 1e-12)", () => {
  const expected = goldenScores("average_win_rate");
  const actual = scoresOf(winRate);
  assert.deepEqual(orderOf(actual), orderOf(expected));
  for (const [name, score] of expected) assert.ok(Math.abs((actual.get(name) ?? NaN) - score) <= 1e-12, name);
});

test("Bradley–Terry matches within 1e-4 relative after normalising strengths to sum 1, same order", () => {
  // The golden column is an MM (Zermelo) iteration capped at 100 rounds with tolerance 1e-6, not an exact
  // maximum; our Newton fit is converged to 1e-10, so the two differ by up to ~1e-4 relative.
  const expected = goldenScores("bradley_terry");
  const ratings = scoresOf(bt);
  const strengths = new Map([...ratings].map(([name, rating]) => [name, Math.pow(10, rating / 400)]));
  const sum = [...strengths.values()].reduce((total, value) => total + value, 0);
  const normalised = new Map([...strengths].map(([name, value]) => [name, value / sum]));
  assert.deepEqual(orderOf(normalised), orderOf(expected));
  for (const [name, score] of expected) {
    assert.ok(Math.abs((normalised.get(name) ?? NaN) - score) / score < 1e-4, `${name}: ${normalised.get(name)} vs ${score}`);
  }
});
