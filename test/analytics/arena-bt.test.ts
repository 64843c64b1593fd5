/**
 * Bradley–Terry on the Chatbot Arena 2024-08-14 counts (129 models, 3,460 pairs, 1,670,250 battles),
 * anchored as Arena publishes it: mixtral-8x7b-instruct-v0.1 = 1114.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runRules } from "../../src/analytics/results/run.ts";
import { pairwiseFixture } from "./fixtures.ts";

const dataset = pairwiseFixture("arena-pairs", "arena/chatbotarena_20240814_pairs.json");
const anchor = { name: "mixtral-8x7b-instruct-v0.1", value: 1114 };
const [bt] = runRules(dataset.input, { rules: ["bt"], anchor, rounds: 1000, seed: 7 });
assert.ok(bt);
const byName = new Map(bt.subjects.map((s) => [s.name, s]));

/**
 * Computed independently in Python: scipy.optimize.minimize (L-BFGS-B, ftol 1e-15) on the same loss
 * from the same file, then polished with numpy Newton steps (gradient 1e-11); plain L-BFGS agrees with
 * these to 3e-4 points. Tolerance: 1e-3 rating points.
 */
const REFERENCE: Readonly<Record<string, number>> = {
  "chatgpt-4o-latest": 1315.1560921311552,
  "gpt-4-0613": 1162.4540829701798,
  "llama-2-70b-chat": 1093.0815721218116,
  "claude-3-opus-20240229": 1247.6331835246363,
  "vicuna-13b": 1041.7840506816651,
  "gpt-3.5-turbo-0125": 1105.5884987275667,
  "llama-13b": 798.846404480272,
};

test("the comparison graph is one component and every battle is used", () => {
  assert.equal(bt.components.length, 1);
  assert.equal(bt.used, 1_670_250);
  assert.deepEqual(bt.warnings, []);
});

test("chatgpt-4o-latest ranks first at about 1315, the anchor sits at 1114", () => {
  const first = bt.subjects[0];
  assert.equal(first?.name, "chatgpt-4o-latest");
  assert.equal(first?.rank, 1);
  assert.ok(Math.abs((first?.score ?? 0) - 1315) < 1);
  assert.ok(Math.abs((byName.get(anchor.name)?.score ?? 0) - 1114) < 1e-9);
});

test("ratings equal an independent scipy/numpy fit within 1e-3 points", () => {
  for (const [name, expected] of Object.entries(REFERENCE)) {
    const actual = byName.get(name)?.score ?? NaN;
    assert.ok(Math.abs(actual - expected) < 1e-3, `${name}: ${actual} vs ${expected}`);
  }
});

test("bootstrap intervals are a few points wide for well-sampled models and contain the estimate", () => {
  for (const name of ["chatgpt-4o-latest", "gpt-4-0613", "claude-3-opus-20240229", "gpt-3.5-turbo-0125"]) {
    const s = byName.get(name);
    assert.ok(s && s.lower !== null && s.upper !== null);
    const width = s.upper - s.lower;
    assert.ok(width > 2 && width < 15, `${name} width ${width}`);
    assert.ok(s.lower < s.score && s.score < s.upper, name);
  }
  // the anchor is fixed in every resample, so its interval has no width
  const anchored = byName.get(anchor.name);
  assert.ok(anchored?.upper !== null && anchored?.lower !== null && Math.abs((anchored?.upper ?? 1) - (anchored?.lower ?? 0)) < 1e-9);
});

test("rank is 1 + the number of models whose lower bound is above this one's upper bound", () => {
  for (const s of bt.subjects) {
    const above: number = bt.subjects.filter((o) => (o.lower ?? 0) > (s.upper ?? 0)).length;
    assert.equal(s.rank, 1 + above, s.name);
  }
});

test("the same seed gives the same intervals; another seed gives other ones", () => {
  const [again] = runRules(dataset.input, { rules: ["bt"], anchor, rounds: 50, seed: 3 });
  const [same] = runRules(dataset.input, { rules: ["bt"], anchor, rounds: 50, seed: 3 });
  const [other] = runRules(dataset.input, { rules: ["bt"], anchor, rounds: 50, seed: 4 });
  assert.deepEqual(again, same);
  assert.notDeepEqual(again?.subjects.map((s) => s.upper), other?.subjects.map((s) => s.upper));
});
