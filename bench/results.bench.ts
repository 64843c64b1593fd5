/**
 * Results kernels on the Chatbot Arena file (129 models, 3,460 pairs, 1,670,250 battles):
 * one Bradley–Terry fit (target ≤ 20 ms) and 1000 bootstrap rounds (target ≤ 3 s), with a
 * scipy L-BFGS reference fit in the same run when python3 + scipy are present.
 * Run: node --import tsx bench/results.bench.ts
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { runBradleyTerry } from "../src/analytics/results/bt-rule.ts";
import { parseDataset } from "../src/connectors/formats/index.ts";

const FILE = fileURLToPath(new URL("../test/fixtures/arena/chatbotarena_20240814_pairs.json", import.meta.url));
const ANCHOR = { name: "mixtral-8x7b-instruct-v0.1", value: 1114 };

function medianMs(runs: number, work: () => void): number {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return times.sort((x, y) => x - y)[Math.floor(runs / 2)] ?? NaN;
}

const PYTHON_REFERENCE = `
import json, sys, time
import numpy as np
from scipy.optimize import minimize
d = json.load(open(sys.argv[1]))
X = np.array(d["X"]); Y = np.array(d["Y"], dtype=float); n = len(d["models"])
wa = Y[:, 0] + 0.5 * (Y[:, 2] + Y[:, 3]); wb = Y[:, 1] + 0.5 * (Y[:, 2] + Y[:, 3])
i, j, L = X[:, 0], X[:, 1], np.log(10)
def f(r):
    z = L * (r[i] - r[j]); s = 1 / (1 + np.exp(-z))
    g = -(wa - (wa + wb) * s) * L
    grad = np.bincount(i, g, n) - np.bincount(j, g, n)
    return np.sum(wa * np.logaddexp(0, -z) + wb * np.logaddexp(0, z)), grad
times = []
for _ in range(5):
    t = time.perf_counter()
    res = minimize(f, np.zeros(n), jac=True, method="L-BFGS-B", options={"ftol": 1e-12, "gtol": 1e-8, "maxiter": 10000})
    times.append(time.perf_counter() - t)
R = 400 * res.x; a = d["models"].index("${ANCHOR.name}"); R = R + ${ANCHOR.value} - R[a]
print(json.dumps({"ms": 1000 * sorted(times)[2], "iterations": int(res.nit), "ratings": dict(zip(d["models"], R.tolist())),
  "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": __import__("scipy").__version__}}))
`;

function pythonReference(): { ms: number; iterations: number; ratings: Record<string, number>; versions: Record<string, string> } | string {
  const child = spawnSync("python3", ["-c", PYTHON_REFERENCE, FILE], { encoding: "utf8" });
  if (child.error) return `python3 not available (${child.error.message})`;
  if (child.status !== 0) return `python3 reference skipped (${child.stderr.trim().split("\n").pop()})`;
  return JSON.parse(child.stdout) as { ms: number; iterations: number; ratings: Record<string, number>; versions: Record<string, string> };
}

const dataset = parseDataset("arena-pairs", readFileSync(FILE, "utf8"));
if (dataset.kind !== "pairwise") throw new Error("the Arena file is pairwise");
const input = dataset.input;

console.log(`machine: ${os.cpus()[0]?.model ?? "unknown cpu"}, ${os.cpus().length} cores, node ${process.version}, ${os.platform()} ${os.arch()}`);
console.log(`data: ${input.subjects.length} models, ${input.pairs.length} pairs, Chatbot Arena 2024-08-14`);

for (let k = 0; k < 5; k++) runBradleyTerry(input, { rounds: 0, seed: 0, anchor: ANCHOR });
const fitMs = medianMs(21, () => runBradleyTerry(input, { rounds: 0, seed: 0, anchor: ANCHOR }));
console.log(`Bradley–Terry fit (Newton, converged to 1e-10): median of 21 = ${fitMs.toFixed(1)} ms (target ≤ 20 ms)`);

const start = performance.now();
const withIntervals = runBradleyTerry(input, { rounds: 1000, seed: 0, anchor: ANCHOR });
const bootstrapMs = performance.now() - start - fitMs;
console.log(`1000 bootstrap rounds (multinomial resampling + refit): ${(bootstrapMs / 1000).toFixed(2)} s (target ≤ 3 s)`);
if (withIntervals.warnings.length > 0) console.log(`warnings: ${withIntervals.warnings.join("; ")}`);

const reference = pythonReference();
if (typeof reference === "string") {
  console.log(reference);
} else {
  const ours = new Map(withIntervals.subjects.map((s) => [s.name, s.score]));
  const gap = Math.max(...Object.entries(reference.ratings).map(([name, rating]) => Math.abs((ours.get(name) ?? NaN) - rating)));
  const versions = Object.entries(reference.versions).map(([k, v]) => `${k} ${v}`).join(", ");
  console.log(`scipy L-BFGS-B reference fit (${versions}): median of 5 = ${reference.ms.toFixed(1)} ms, ${reference.iterations} iterations`);
  console.log(`ratio ours / scipy: ${(fitMs / reference.ms).toFixed(2)}; largest rating difference: ${gap.toExponential(2)} points`);
}
