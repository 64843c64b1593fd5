/**
 * Issue 16, item 7: speed measured side by side with a Python reference in the same run.
 *
 * 1. Bradley–Terry + 1,000 bootstrap rounds on the Chatbot Arena 2024-08-14 counts (129 models, 3,460 pairs,
 *    1,670,250 battles) against FastChat's compute_bootstrap_bt algorithm in numpy/scipy (numpy multinomial
 *    over the count rows, then L-BFGS-B from zeros each round, gtol 1e-6, maxiter 100), in one process as
 *    ours runs in one thread: once with FastChat's own gradient (np.add.at), once with a faster np.bincount one.
 * 2. Sandwich intervals for the same board.
 * 3. The style-controlled fit (Newton + sandwich) on the same 1,670,250 battles with synthetic style counts.
 * 4. Reading a FastChat battle dump with Arena's metadata fields (synthetic, written to a temporary folder and
 *    deleted): ours (byte-level scanner, in a child process for its own peak RSS) against pandas read_json.
 *
 * Run: node --import tsx bench/style-speed.bench.ts [dump battles = 557000, 0 to skip] [python rounds = 1000]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runBradleyTerry } from "../src/analytics/results/bt-rule.ts";
import { fitStyleControl, styleDesign } from "../src/analytics/results/style-control.ts";
import type { StyleBattles } from "../src/analytics/results/style-control.ts";
import { createRng } from "../src/analytics/rng.ts";
import { parseDataset } from "../src/connectors/formats/index.ts";
import { fastchatBattles } from "../test/support/fastchat-dump.ts";

const FILE = fileURLToPath(new URL("../test/fixtures/arena/chatbotarena_20240814_pairs.json", import.meta.url));
const ANCHOR = { name: "mixtral-8x7b-instruct-v0.1", value: 1114 };
const DUMP_BATTLES = Number(process.argv[2] ?? 557_000);
const PYTHON_ROUNDS = Number(process.argv[3] ?? 1000);

class SkippedDump extends Error {}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Median wall-clock ms of `runs` runs; `cpu` receives the median CPU (user + system) ms, less sensitive to a shared machine's load. */
function timed(runs: number, work: () => void, cpu?: (ms: number) => void): number {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let run = 0; run < runs; run++) {
    const usage = process.cpuUsage();
    const start = performance.now();
    work();
    walls.push(performance.now() - start);
    const used = process.cpuUsage(usage);
    cpus.push((used.user + used.system) / 1000);
  }
  cpu?.(median(cpus));
  return median(walls);
}

/** The first Python with the modules, and its versions; or why there is none. */
function python(modules: readonly string[]): { command: string; versions: string } | string {
  for (const command of ["python3", "/usr/bin/python3"]) {
    const probe = spawnSync(command, ["-c", `import sys, ${modules.join(", ")}; print("python " + sys.version.split()[0] + ", " + ", ".join(m + " " + __import__(m).__version__ for m in ${JSON.stringify(modules)}))`], { encoding: "utf8" });
    if (!probe.error && probe.status === 0) return { command, versions: probe.stdout.trim() };
  }
  return `no python3 with ${modules.join(", ")} (the reference is skipped)`;
}

const BOOTSTRAP_REFERENCE = `
import json, sys, time
import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
d = json.load(open(sys.argv[1])); rounds = int(sys.argv[2]); variant = sys.argv[3]
X = np.array(d["X"]); Y = np.array(d["Y"], dtype=float); n = len(d["models"]); m = len(X)
# FastChat's layout: one row per (pair, outcome) with outcome 1, 0 or 0.5 and its count as weight
match = np.concatenate([X, X, X]); out = np.concatenate([np.ones(m), np.zeros(m), np.full(m, 0.5)])
w = np.concatenate([Y[:, 0], Y[:, 1], Y[:, 2] + Y[:, 3]]); keep = w > 0
match, out, w = match[keep], out[keep], w[keep]
i, j, L = match[:, 0], match[:, 1], np.log(10)
MASK = np.array([1.0, -1.0])
def loss_and_grad(r, wt):
    z = L * (r[i] - r[j]); p = expit(z)
    loss = -(wt * (out * np.log(p) + (1 - out) * np.log(1 - p))).sum()
    g = -L * (out - p) * wt
    if variant == "add.at":
        grad = np.zeros_like(r); np.add.at(grad, match, g[:, None] * MASK)
    else:
        grad = np.bincount(i, g, n) - np.bincount(j, g, n)
    return loss, grad
start = time.perf_counter(); cpu_start = time.process_time()
N = int(w.sum())
boot = np.random.default_rng(0).multinomial(N, w / N, size=rounds) / N
fits = [minimize(loss_and_grad, np.zeros(n), args=(boot[k],), jac=True, method="L-BFGS-B", options={"maxiter": 100, "gtol": 1e-6}) for k in range(rounds)]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "cpuSeconds": time.process_time() - cpu_start, "iterations": float(np.mean([f.nit for f in fits]))}))
`;

const PANDAS_REFERENCE = `
import json, resource, sys, time
import pandas as pd
start = time.perf_counter()
df = pd.read_json(sys.argv[1])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rows": len(df), "peakMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

/** One thread, as ours: numpy's BLAS would otherwise start a thread per core. */
const SINGLE_THREADED = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };

function runPython<T>(command: string, script: string, args: readonly string[]): T | string {
  const child = spawnSync(command, ["-c", script, ...args], { encoding: "utf8", maxBuffer: 1 << 24, env: SINGLE_THREADED });
  if (child.status !== 0) return `failed: ${child.stderr.trim().split("\n").pop()}`;
  return JSON.parse(child.stdout) as T;
}

console.log(`machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${os.platform()} ${os.arch()}`);
console.log(`load average at start: ${os.loadavg().map((v) => v.toFixed(2)).join(", ")}`);

// 1–2. Bradley–Terry on the Arena counts
const dataset = parseDataset("arena-pairs", readFileSync(FILE, "utf8"));
if (dataset.kind !== "pairwise") throw new Error("the Arena file is pairwise");
const input = dataset.input;
runBradleyTerry(input, { rounds: 50, seed: 0, anchor: ANCHOR });
let bootstrapCpuMs = NaN;
const bootstrapMs = timed(3, () => runBradleyTerry(input, { rounds: 1000, seed: 0, anchor: ANCHOR }), (ms) => (bootstrapCpuMs = ms));
const sandwichMs = timed(7, () => runBradleyTerry(input, { rounds: 0, seed: 0, anchor: ANCHOR, intervals: "sandwich" }));
const fitMs = timed(7, () => runBradleyTerry(input, { rounds: 0, seed: 0, anchor: ANCHOR }));
console.log(`\nBradley–Terry on the Arena counts (${input.subjects.length} models, ${input.pairs.length} pairs)`);
console.log(`  ours: fit + 1,000 bootstrap rounds, median of 3: ${bootstrapMs.toFixed(0)} ms, CPU ${bootstrapCpuMs.toFixed(0)} ms (fit alone ${fitMs.toFixed(1)} ms)`);
console.log(`  ours: fit + sandwich intervals, median of 7: ${sandwichMs.toFixed(1)} ms (target ≤ 50 ms)`);
const scientific = python(["numpy", "scipy"]);
if (typeof scientific === "string") console.log(`  reference: ${scientific}`);
else {
  console.log(`  reference (${scientific.versions}), ${PYTHON_ROUNDS} rounds${PYTHON_ROUNDS === 1000 ? "" : ", scaled to 1,000"}:`);
  for (const variant of ["add.at", "bincount"]) {
    const reference = runPython<{ seconds: number; cpuSeconds: number; iterations: number }>(scientific.command, BOOTSTRAP_REFERENCE, [FILE, String(PYTHON_ROUNDS), variant]);
    if (typeof reference === "string") console.log(`    ${variant}: ${reference}`);
    else {
      const perThousand = (reference.seconds * 1000) / PYTHON_ROUNDS;
      const cpuPerThousand = (reference.cpuSeconds * 1000) / PYTHON_ROUNDS;
      console.log(
        `    FastChat's algorithm, gradient by np.${variant}: ${perThousand.toFixed(1)} s, CPU ${cpuPerThousand.toFixed(1)} s (${reference.iterations.toFixed(1)} L-BFGS iterations a round); ` +
          `ours is ${((perThousand * 1000) / bootstrapMs).toFixed(0)}× faster, ${((cpuPerThousand * 1000) / bootstrapCpuMs).toFixed(0)}× in CPU time (target ≥ 100×)`,
      );
    }
  }
}

// 3. Style control on 1,670,250 battles: the Arena pairs expanded, with synthetic style counts
function arenaStyleBattles(): StyleBattles {
  const rows = input.pairs;
  const total = rows.reduce((sum, row) => sum + row.winsA + row.winsB + row.ties + row.bothBad, 0);
  const a = new Int32Array(total);
  const b = new Int32Array(total);
  const scoreA = new Float64Array(total);
  const styleA = [0, 1, 2, 3].map(() => new Float64Array(total));
  const styleB = [0, 1, 2, 3].map(() => new Float64Array(total));
  const rng = createRng(9);
  let k = 0;
  for (const row of rows) {
    const outcomes: [number, number][] = [[1, row.winsA], [0, row.winsB], [0.5, row.ties + row.bothBad]];
    for (const [score, count] of outcomes) {
      for (let c = 0; c < count; c++, k++) {
        a[k] = row.a;
        b[k] = row.b;
        scoreA[k] = score;
        // the winner tends to be longer: a length effect for the fit to find
        const lengthA = 200 + 400 * rng.next() + (score === 1 ? 100 : 0);
        const lengthB = 200 + 400 * rng.next() + (score === 0 ? 100 : 0);
        styleA.forEach((column, f) => (column[k] = f === 0 ? lengthA : Math.floor(4 * rng.next())));
        styleB.forEach((column, f) => (column[k] = f === 0 ? lengthB : Math.floor(4 * rng.next())));
      }
    }
  }
  return { subjects: input.subjects, a, b, scoreA, styleA, styleB };
}
const battles = arenaStyleBattles();
const start = new Float64Array(input.subjects.length);
const rawBoard = runBradleyTerry(input, { rounds: 0, seed: 0 });
const rawScores = new Map(rawBoard.subjects.map((s) => [s.name, s.score]));
input.subjects.forEach((name, i) => (start[i] = ((rawScores.get(name) ?? 1000) - 1000) / 400));
let iterations = 0;
let styleCpuMs = NaN;
const styleMs = timed(
  3,
  () => {
    const fit = fitStyleControl(battles, styleDesign(battles), { start });
    iterations = fit.iterations;
  },
  (ms) => (styleCpuMs = ms),
);
console.log(`\nstyle-controlled fit (design, Newton from the BT MLE, sandwich) on ${battles.a.length.toLocaleString("en")} battles, median of 3: ${styleMs.toFixed(0)} ms, CPU ${styleCpuMs.toFixed(0)} ms, ${iterations} Newton steps (target ≤ 1 s)`);

// 4. Reading a FastChat dump with Arena's metadata fields (skipped with 0 battles)
const dir = DUMP_BATTLES > 0 ? mkdtempSync(path.join(os.tmpdir(), "counterpublic-dump-")) : null;
try {
  if (!dir) throw new SkippedDump();
  const file = path.join(dir, "battles.json");
  const out = createWriteStream(file);
  const models = input.subjects.slice(0, 64).map((name, i) => ({ name, strength: 0.01 * (i % 13), length: 200 + 10 * (i % 40) }));
  let written = 0;
  let batch: string[] = ["[\n"];
  for (const battle of fastchatBattles({ models, battles: DUMP_BATTLES, seed: 1, lengthEffect: 1, realisticFields: true })) {
    // one compact record a line: about 1.15 kB a battle, the size of Arena's public dump (600 MB for 557,000)
    batch.push(`${written ? ",\n" : ""}${JSON.stringify(battle)}`);
    written += 1;
    if (batch.length >= 2000) {
      if (!out.write(batch.join(""))) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      batch = [];
    }
  }
  batch.push("\n]");
  out.end(batch.join(""));
  await new Promise<void>((resolve) => out.on("finish", () => resolve()));
  const size = statSync(file).size;
  console.log(`\nFastChat dump: ${written.toLocaleString("en")} battles with Arena's metadata fields, ${(size / 1e6).toFixed(0)} MB (synthetic, a JSON array, one battle a line)`);
  const reader = `import { readDataset } from ${JSON.stringify(new URL("../src/connectors/formats/index.ts", import.meta.url).href)};
const start = performance.now();
const dataset = await readDataset(${JSON.stringify(file)}, "fastchat");
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ seconds, battles: dataset.kind === "pairwise" ? dataset.input.comparisons?.length : 0, styled: dataset.kind === "pairwise" ? dataset.style?.battles.a.length ?? 0 : 0, peakMiB: process.resourceUsage().maxRSS / 1024 }));`;
  const ours = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", reader], { encoding: "utf8" });
  if (ours.status !== 0) throw new Error(`reading the dump failed: ${ours.stderr}`);
  const read = JSON.parse(ours.stdout) as { seconds: number; battles: number; styled: number; peakMiB: number };
  console.log(`  ours (byte-level scanner, own process): ${read.seconds.toFixed(1)} s, peak RSS ${read.peakMiB.toFixed(0)} MiB (target ≤ 1 GiB), ${read.battles.toLocaleString("en")} battles, ${read.styled.toLocaleString("en")} with style counts`);
  const tabular = python(["pandas"]);
  if (typeof tabular === "string") console.log(`  reference: ${tabular}`);
  else {
    const reference = runPython<{ seconds: number; rows: number; peakMiB: number }>(tabular.command, PANDAS_REFERENCE, [file]);
    if (typeof reference === "string") console.log(`  reference pandas.read_json: ${reference}`);
    else console.log(`  reference pandas.read_json (${tabular.versions}): ${reference.seconds.toFixed(1)} s, peak RSS ${reference.peakMiB.toFixed(0)} MiB; ours is ${(reference.seconds / read.seconds).toFixed(1)}× faster (target ≥ 3×)`);
  }
} catch (error) {
  if (!(error instanceof SkippedDump)) throw error;
} finally {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
console.log(`\nload average at end: ${os.loadavg().map((v) => v.toFixed(2)).join(", ")}`);
