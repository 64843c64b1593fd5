/**
 * Style control (Bradley–Terry with style covariates): a case solved by hand, an independent scipy fit of
 * the same penalised likelihood, and a FastChat-shaped dump where length decides many battles.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fitStyleControl, styleDesign } from "../../src/analytics/results/style-control.ts";
import { battlePairs, runStyleControl, styleControlBoard } from "../../src/analytics/results/style-control-board.ts";
import type { StyleBattles } from "../../src/analytics/results/style-control.ts";
import { runBradleyTerry } from "../../src/analytics/results/bt-rule.ts";
import { parseFastchat } from "../../src/connectors/formats/fastchat.ts";
import { fastchatBattles } from "../support/fastchat-dump.ts";

/** Battles from (a, b, a's score, a's style, b's style) rows. */
function battlesOf(subjects: string[], rows: [number, number, number, number[], number[]][]): StyleBattles {
  return {
    subjects,
    a: Int32Array.from(rows, (r) => r[0]),
    b: Int32Array.from(rows, (r) => r[1]),
    scoreA: Float64Array.from(rows, (r) => r[2]),
    styleA: [0, 1, 2, 3].map((f) => Float64Array.from(rows, (r) => r[3][f] ?? 0)),
    styleB: [0, 1, 2, 3].map((f) => Float64Array.from(rows, (r) => r[4][f] ?? 0)),
  };
}

test("by hand: A wins 75% when its answer is the longer one and 50% when B's is; β = ln 3 / 2, A − B = ln 3 / (2·ln10)", () => {
  // Lengths 300 vs 100 give a normalised difference ±200/401, which z-scores to exactly ±1. Without the
  // penalty the two groups' logits are ln10·Δ ± β = logit(0.75) = ln 3 and logit(0.5) = 0, so
  // β = ln 3 / 2 = 0.549306 and Δ = 0.238561 log10 units (95.42 rating points). The penalty 0.25·‖θ‖²
  // against 20,000 battles moves them by about 1e-4 relative; the tolerance is 1e-3 relative.
  const rows: [number, number, number, number[], number[]][] = [];
  for (let k = 0; k < 10_000; k++) rows.push([0, 1, k < 7_500 ? 1 : 0, [300, 0, 0, 0], [100, 0, 0, 0]]);
  for (let k = 0; k < 10_000; k++) rows.push([0, 1, k < 5_000 ? 1 : 0, [100, 0, 0, 0], [300, 0, 0, 0]]);
  const battles = battlesOf(["A", "B"], rows);
  const design = styleDesign(battles);
  assert.deepEqual(design.varies, [true, false, false, false]);
  const fit = fitStyleControl(battles, design);
  assert.ok(fit.converged);
  const beta = fit.theta[2] ?? NaN;
  const gap = (fit.theta[0] ?? NaN) - (fit.theta[1] ?? NaN);
  assert.ok(Math.abs(beta / (Math.log(3) / 2) - 1) < 1e-3, `β = ${beta}`);
  assert.ok(Math.abs(gap / (Math.log(3) / (2 * Math.LN10)) - 1) < 1e-3, `Δ = ${gap}`);
  assert.equal(fit.theta[3], 0);
  const raw = runBradleyTerry({ subjects: battles.subjects, pairs: battlePairs(battles) }, { rounds: 0, seed: 0 });
  const result = runStyleControl(battles, { raw });
  assert.ok(result.warnings.some((w) => /headers is the same on both sides/.test(w)));
  const [length] = result.coefficients;
  // the sandwich SE of β: the two groups are independent binomials, each logit with variance 1/(N·p(1−p)); β is half their difference
  const expectedSe = 0.5 * Math.sqrt(1 / (10_000 * 0.75 * 0.25) + 1 / (10_000 * 0.25));
  assert.ok(length && Math.abs(length.standardError / expectedSe - 1) < 0.01, `SE ${length?.standardError} vs ${expectedSe}`);
});

const PYTHON_FIT = `
import json, sys
import numpy as np
from scipy.optimize import minimize
d = json.load(sys.stdin)
n = len(d["subjects"]); a = np.array(d["a"]); b = np.array(d["b"]); y = np.array(d["y"], dtype=float)
A = np.array(d["styleA"], dtype=float); B = np.array(d["styleB"], dtype=float)
diff = (A - B) / (A + B + 1)
X = ((diff - diff.mean(axis=1, keepdims=True)) / diff.std(axis=1, keepdims=True)).T
L = np.log(10)
def f(t):
    r, beta = t[:n], t[n:]
    z = L * (r[a] - r[b]) + X @ beta
    loss = np.sum(np.logaddexp(0, z) - y * z) + 0.25 * t @ t
    res = y - 1 / (1 + np.exp(-z))
    g = 0.5 * t
    g[:n] += -L * (np.bincount(a, res, n) - np.bincount(b, res, n))
    g[n:] += -X.T @ res
    return loss, g
t = minimize(f, np.zeros(n + 4), jac=True, method="L-BFGS-B", options={"gtol": 1e-10, "ftol": 1e-15, "maxiter": 10000}).x
print(json.dumps(t.tolist()))
`;

function scipyAvailable(): string | null {
  const probe = spawnSync("python3", ["-c", "import numpy, scipy"], { encoding: "utf8" });
  if (probe.error) return `python3 not available (${probe.error.message})`;
  return probe.status === 0 ? null : "python3 has no numpy/scipy";
}

const absent = scipyAvailable();
test("the joint fit equals an independent scipy L-BFGS-B fit of the same penalised likelihood within 1e-4", { skip: absent ?? false }, () => {
  const models = ["m0", "m1", "m2", "m3", "m4", "m5"].map((name, i) => ({ name, strength: 0.1 * i, length: 200 + 60 * i }));
  const dataset = parseFastchat(JSON.stringify([...fastchatBattles({ models, battles: 4_000, seed: 11, lengthEffect: 1.2 })]));
  const battles = dataset.style?.battles;
  assert.ok(battles);
  const fit = fitStyleControl(battles, styleDesign(battles));
  const payload = JSON.stringify({
    subjects: battles.subjects,
    a: [...battles.a],
    b: [...battles.b],
    y: [...battles.scoreA],
    styleA: battles.styleA.map((c) => [...c]),
    styleB: battles.styleB.map((c) => [...c]),
  });
  const child = spawnSync("python3", ["-c", PYTHON_FIT], { input: payload, encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
  const reference = JSON.parse(child.stdout) as number[];
  reference.forEach((value, q) => assert.ok(Math.abs((fit.theta[q] ?? NaN) - value) < 1e-4, `parameter ${q}: ${fit.theta[q]} vs scipy ${value}`));
});

test("a FastChat dump where length decides: the length coefficient is positive and the verbose model falls", () => {
  // "verbose" is truly the weakest but writes answers three times as long; judges reward length
  const models = [
    { name: "sharp", strength: 0.15, length: 250 },
    { name: "solid", strength: 0.1, length: 250 },
    { name: "plain", strength: 0.05, length: 250 },
    { name: "verbose", strength: 0, length: 750 },
  ];
  const dataset = parseFastchat(JSON.stringify([...fastchatBattles({ models, battles: 20_000, seed: 5, lengthEffect: 2.5 })]));
  assert.ok(dataset.style);
  const result = styleControlBoard(dataset.style.battles, { rounds: 100, seed: 1 });
  const length = result.coefficients.find((c) => c.feature === "length");
  assert.ok(length && length.lower > 0, `length β ${length?.estimate} [${length?.lower}, ${length?.upper}]`);
  const position = (board: readonly { name: string; score: number }[], name: string) => [...board].sort((x, y) => y.score - x.score).findIndex((s) => s.name === name) + 1;
  assert.equal(position(result.raw.subjects, "verbose"), 1, "raw: length lifts the verbose model to the top");
  assert.equal(position(result.subjects, "verbose"), 4, "controlled: the verbose model is last, as it truly is");
  assert.deepEqual([...result.subjects].sort((x, y) => y.score - x.score).map((s) => s.name), ["sharp", "solid", "plain", "verbose"]);
  assert.ok(result.moves.some((m) => m.name === "verbose" && m.rawPosition === 1 && m.controlledPosition === 4));
  // the other features are noise in this dump: their intervals cover 0
  for (const c of result.coefficients.filter((c) => c.feature !== "length")) assert.ok(c.lower < 0 && c.upper > 0, `${c.feature}: [${c.lower}, ${c.upper}]`);
});
