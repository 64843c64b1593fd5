/**
 * Bradley–Terry with closed-form (sandwich) intervals: `runRules(input, { rules: ["bt"], intervals: "sandwich" })`.
 * Reported: R ± 1.959964·SE, SE of R relative to the anchor (its own SE is 0) or to the component mean.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runRules } from "../../src/analytics/results/run.ts";
import { ResultsError } from "../../src/analytics/results/types.ts";
import type { PairRow, ResultsInput, RuleResult, SubjectResult } from "../../src/analytics/results/types.ts";
import { pairwiseFixture } from "./fixtures.ts";
import { contrastStandardErrors, sandwichContrastErrors, sandwichCovariance } from "../../src/analytics/results/bt-sandwich.ts";
import { fitStrengths, problemFromRows } from "../../src/analytics/results/bt-problem.ts";
import { rowsOfVotes } from "../../src/analytics/results/individual-votes.ts";
import { plantedVotes } from "./planted.ts";

const Z = 1.959963984540054;
const dataset = pairwiseFixture("arena-pairs", "arena/chatbotarena_20240814_pairs.json");
const anchor = { name: "mixtral-8x7b-instruct-v0.1", value: 1114 };

function bt(input: ResultsInput, options: Parameters<typeof runRules>[1] = {}): RuleResult {
  const [result] = runRules(input, { rules: ["bt"], ...options });
  assert.ok(result);
  return result;
}

function byName(result: RuleResult): Map<string, SubjectResult> {
  return new Map(result.subjects.map((s) => [s.name, s]));
}

function halfWidth(s: SubjectResult | undefined): number {
  assert.ok(s && s.lower !== null && s.upper !== null, `${s?.name} has no interval`);
  return (s.upper - s.lower) / 2;
}

const sandwich = bt(dataset.input, { anchor, intervals: "sandwich" });
const sandwichByName = byName(sandwich);

test("the option is recorded in the parameters; bootstrap stays the default; unknown methods are refused", () => {
  assert.equal(sandwich.parameters["intervals"], "sandwich");
  assert.equal(sandwich.parameters["rounds"], undefined, "rounds do not apply to the sandwich");
  const small: ResultsInput = { subjects: ["x", "y"], pairs: [{ a: 0, b: 1, winsA: 3, winsB: 2, ties: 0, bothBad: 0 }] };
  assert.equal(bt(small, { rounds: 5 }).parameters["intervals"], "bootstrap");
  assert.throws(
    () => runRules(small, { rules: ["bt"], intervals: "jackknife" as "sandwich" }),
    (error: unknown) => error instanceof ResultsError && error.code === "invalid_input",
  );
});

test("Arena: point estimates are identical to the bootstrap rule's, and sandwich half-widths are within 0.8–1.25 of its", () => {
  const bootstrap = byName(bt(dataset.input, { anchor, rounds: 1000, seed: 7 }));
  const battles = new Map<string, number>();
  for (const row of dataset.input.pairs) {
    for (const i of [row.a, row.b]) {
      const name = dataset.input.subjects[i] ?? "";
      battles.set(name, (battles.get(name) ?? 0) + row.winsA + row.winsB + row.ties + row.bothBad);
    }
  }
  const ratios: number[] = [];
  for (const s of sandwich.subjects) {
    const other = bootstrap.get(s.name);
    assert.equal(s.score, other?.score, s.name);
    // well sampled: at least 5,000 battles; the bootstrap's own Monte Carlo error (1000 rounds) is a few per cent
    if (s.name === anchor.name || (battles.get(s.name) ?? 0) < 5000) continue;
    const ratio = halfWidth(s) / halfWidth(other);
    ratios.push(ratio);
    assert.ok(ratio > 0.8 && ratio < 1.25, `${s.name}: sandwich/bootstrap half-width ${ratio}`);
  }
  assert.ok(ratios.length > 100);
  const median = ratios.sort((x, y) => x - y)[ratios.length >> 1] ?? 0;
  assert.ok(median > 0.95 && median < 1.05, `median ratio ${median}`);
});

/**
 * Independent reference, numpy 2.4 on the same fixture file: reference parametrisation (the anchor's
 * strength fixed at 0, its column dropped, instead of the sum-to-zero closure used here), Newton to a
 * step below 1e-13 (they agree to 5e-14), H = ln10²·Dᵀdiag(n·p·(1−p))D, B = ln10²·Dᵀdiag(w(1−p)² + l·p² + d(½−p)²)D per
 * row (w, l wins of each side, d ties + both_bad), SE = 400·√diag(H⁻¹BH⁻¹). Tolerance 1e-8 points.
 */
const NUMPY_SE: Readonly<Record<string, number>> = {
  "chatgpt-4o-latest": 2.5942966732133277,
  "gpt-4-0613": 1.4091549555468348,
  "claude-3-opus-20240229": 1.2618561222005407,
  "llama-13b": 6.6720720838638865,
  "vicuna-13b": 2.4797562458611173,
};

test("Arena: sandwich SEs equal an independent numpy computation within 1e-8 points", () => {
  for (const [name, expected] of Object.entries(NUMPY_SE)) {
    const s = sandwichByName.get(name);
    assert.ok(s && s.upper !== null && s.lower !== null);
    assert.ok(Math.abs((s.upper - s.score) / Z - expected) < 1e-8, `${name}: upper side ${(s.upper - s.score) / Z} vs ${expected}`);
    assert.ok(Math.abs((s.score - s.lower) / Z - expected) < 1e-8, `${name}: lower side`);
  }
});

test("Arena: the anchor's interval has no width, and rank is 1 + the number of intervals wholly above", () => {
  const fixed = sandwichByName.get(anchor.name);
  assert.equal(fixed?.lower, 1114);
  assert.equal(fixed?.upper, 1114);
  for (const s of sandwich.subjects) {
    const above = sandwich.subjects.filter((o) => (o.lower ?? 0) > (s.upper ?? 0)).length;
    assert.equal(s.rank, 1 + above, s.name);
  }
});

test("Arena: relabelling subjects (and flipping each row's orientation) relabels the intervals", () => {
  const n = dataset.input.subjects.length;
  const move = (i: number): number => n - 1 - i;
  const subjects = dataset.input.subjects.map((_, i) => `x-${dataset.input.subjects[move(i)]}`);
  const pairs = dataset.input.pairs.map((row): PairRow => ({ ...row, a: move(row.b), b: move(row.a), winsA: row.winsB, winsB: row.winsA }));
  const relabelled = byName(bt({ subjects, pairs }, { anchor: { name: `x-${anchor.name}`, value: 1114 }, intervals: "sandwich" }));
  for (const s of sandwich.subjects) {
    const moved = relabelled.get(`x-${s.name}`);
    assert.ok(moved && moved.lower !== null && s.lower !== null);
    assert.ok(Math.abs(moved.score - s.score) < 1e-6 && Math.abs(halfWidth(moved) - halfWidth(s)) < 1e-6, s.name);
  }
});

test("Arena: doubling every count shrinks every half-width by exactly 1/√2 and leaves the estimates", () => {
  const pairs = dataset.input.pairs.map((row): PairRow => ({ ...row, winsA: 2 * row.winsA, winsB: 2 * row.winsB, ties: 2 * row.ties, bothBad: 2 * row.bothBad }));
  const doubled = byName(bt({ subjects: dataset.input.subjects, pairs }, { anchor, intervals: "sandwich" }));
  for (const s of sandwich.subjects) {
    if (s.name === anchor.name) continue;
    const twice = doubled.get(s.name);
    assert.ok(Math.abs((twice?.score ?? 0) - s.score) < 1e-9, s.name);
    assert.ok(Math.abs(halfWidth(twice) / halfWidth(s) - Math.SQRT1_2) < 1e-9, s.name);
  }
});

/**
 * Two subjects, one row: w wins of A, l wins of B, t draws (tie or both_bad), n = w + l + t judgments.
 * The fit is exact: p = P(A beats B) = (w + t/2)/n, and d = r_A − r_B = log10(p/(1 − p)).
 * Information for d: I = ln10²·n·p(1 − p). Meat: each judgment's score is −ln10·(y − p) with y = 1, 0, ½,
 * so B = ln10²·(w(1 − p)² + l·p² + t(½ − p)²). Var(d) = B/I².
 * Without draws, p = w/n: B = ln10²·(w·l² + l·w²)/n² = ln10²·w·l/n = I, so sandwich = model-based = 1/I,
 * and SE(R_A − R_B) = (400/ln10)·√(n/(w·l)) = (400/ln10)·√(1/w + 1/l).
 * With B anchored, SE(R_A) is that, SE(R_B) = 0; with mean 1000, each is half of it.
 */
test("two subjects without draws: SE = (400/ln10)·√(1/w + 1/l) against the anchor, half of it against the mean", () => {
  const input: ResultsInput = { subjects: ["A", "B"], pairs: [{ a: 0, b: 1, winsA: 30, winsB: 10, ties: 0, bothBad: 0 }] };
  const expected = (400 / Math.LN10) * Math.sqrt(1 / 30 + 1 / 10);
  const anchoredResult = byName(bt(input, { anchor: { name: "B", value: 1000 }, intervals: "sandwich" }));
  assert.ok(Math.abs(halfWidth(anchoredResult.get("A")) / Z - expected) < 1e-9 * expected);
  assert.equal(halfWidth(anchoredResult.get("B")), 0);
  assert.ok(Math.abs((anchoredResult.get("A")?.score ?? 0) - (1000 + 400 * Math.log10(3))) < 1e-9);
  const centred = byName(bt(input, { intervals: "sandwich" }));
  for (const name of ["A", "B"]) assert.ok(Math.abs(halfWidth(centred.get(name)) / Z - expected / 2) < 1e-9 * expected, name);
});

test("two subjects with draws: Var(d) = B/I², below the model-based 1/I", () => {
  const [w, l, t] = [20, 10, 10];
  const n = w + l + t;
  const p = (w + t / 2) / n;
  const information = Math.LN10 ** 2 * n * p * (1 - p);
  const meat = Math.LN10 ** 2 * (w * (1 - p) ** 2 + l * p ** 2 + t * (0.5 - p) ** 2);
  const expected = 400 * Math.sqrt(meat) / information;
  assert.ok(expected < 400 / Math.sqrt(information));
  const input: ResultsInput = { subjects: ["A", "B"], pairs: [{ a: 0, b: 1, winsA: w, winsB: l, ties: t / 2, bothBad: t / 2 }] };
  const result = byName(bt(input, { anchor: { name: "B", value: 1000 }, intervals: "sandwich" }));
  assert.ok(Math.abs(halfWidth(result.get("A")) / Z - expected) < 1e-9 * expected);
});

test("the judgment, not the row, is the unit: splitting a row in two (one flipped) changes nothing", () => {
  const whole: ResultsInput = { subjects: ["A", "B"], pairs: [{ a: 0, b: 1, winsA: 20, winsB: 10, ties: 10, bothBad: 0 }] };
  const split: ResultsInput = {
    subjects: ["A", "B"],
    pairs: [
      { a: 0, b: 1, winsA: 12, winsB: 3, ties: 4, bothBad: 0 },
      { a: 1, b: 0, winsA: 7, winsB: 8, ties: 6, bothBad: 0 },
    ],
  };
  const before = halfWidth(byName(bt(whole, { intervals: "sandwich" })).get("A"));
  const after = halfWidth(byName(bt(split, { intervals: "sandwich" })).get("A"));
  assert.ok(Math.abs(before - after) < 1e-9 * before);
});

test("per component: a subject that never wins is its own component without an interval; the others match the two-subject form", () => {
  const input: ResultsInput = {
    subjects: ["A", "B", "C"],
    pairs: [
      { a: 0, b: 1, winsA: 30, winsB: 10, ties: 0, bothBad: 0 },
      { a: 2, b: 0, winsA: 0, winsB: 5, ties: 0, bothBad: 0 },
    ],
  };
  const result = bt(input, { intervals: "sandwich" });
  assert.equal(result.components.length, 2);
  const named = byName(result);
  assert.equal(named.get("C")?.lower, null);
  const expected = (200 / Math.LN10) * Math.sqrt(1 / 30 + 1 / 10);
  for (const name of ["A", "B"]) assert.ok(Math.abs(halfWidth(named.get(name)) / Z - expected) < 1e-9 * expected, name);
});

test("the errors read in one pass over the rows equal those of the full covariance H⁺BH⁺, against the mean and an anchor", () => {
  const strengths = [0.5, 0.3, 0.25, 0, -0.1, -0.2, -0.6, -0.15];
  const rows = rowsOfVotes(plantedVotes(Array.from({ length: 12 }, (_, i) => ({ key: `p${i}`, strengths })), strengths.length, 3, 4));
  // a few draws, so that every outcome kind enters B
  const withDraws = rows.map((row, k) => (k % 3 === 0 ? { ...row, ties: 2, bothBad: 1 } : row));
  const problem = problemFromRows(strengths.length, withDraws);
  const r = fitStrengths(problem);
  assert.ok(r);
  const outcomes = {
    winsA: Float64Array.from(withDraws, (row) => row.winsA),
    winsB: Float64Array.from(withDraws, (row) => row.winsB),
    draws: Float64Array.from(withDraws, (row) => row.ties + row.bothBad),
  };
  const covariance = sandwichCovariance(problem, outcomes, r);
  assert.ok(covariance);
  for (const reference of [-1, 0, 5]) {
    const full = contrastStandardErrors(covariance, strengths.length, reference);
    const direct = sandwichContrastErrors(problem, outcomes, r, reference);
    assert.ok(direct);
    full.forEach((expected, i) => assert.ok(Math.abs((direct[i] ?? NaN) - expected) <= 1e-12 * Math.max(expected, 1e-3), `reference ${reference}, subject ${i}: ${direct[i]} vs ${expected}`));
    if (reference >= 0) assert.equal(direct[reference], 0, "the reference's own error is 0");
  }
});
