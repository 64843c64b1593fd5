/**
 * CLI start-up and the analyze command, as a user runs them: `counterpublic --version` (median of 10) and
 * `analyze` of the Arena pairs with 1,000 bootstrap rounds (median of 3), from the build (dist/) and from
 * sources through tsx; `analyze --rule bt` built, for the floor Bradley–Terry sets; plus the rules kernel
 * alone, in process, plain and as the CLI runs it (Elo and the counting rules on a worker thread beside
 * Bradley–Terry), with the CPU time of both threads beside the wall time.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { runRules } from "../src/analytics/results/index.ts";
import { runRulesBesideElo } from "../src/cli/rules-beside-elo.ts";
import { readDataset } from "../src/connectors/formats/index.ts";

const ARENA = "test/fixtures/arena/chatbotarena_20240814_pairs.json";
const ANALYZE = ["analyze", ARENA, "--format", "arena-pairs", "--rounds", "1000"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["bin/counterpublic.js", ...args], { env, encoding: "utf8" });
  const took = performance.now() - started;
  if (result.status !== 0) throw new Error(`counterpublic ${args.join(" ")} failed: ${result.stderr}`);
  return took;
}

function medianWall(args: string[], runs: number, env: NodeJS.ProcessEnv): number {
  return median(Array.from({ length: runs }, () => wallMs(args, env)));
}

if (!existsSync("dist/cli/main.js")) throw new Error("no build: run `npm run build` first");
const built = { ...process.env };
delete built.COUNTERPUBLIC_FROM_SOURCE;
const source = { ...process.env, COUNTERPUBLIC_FROM_SOURCE: "1" };

console.log(`machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load average ${os.loadavg()[0]?.toFixed(2)}`);
console.log(`counterpublic --version, median of 10: built ${medianWall(["--version"], 10, built).toFixed(0)} ms, from sources (tsx) ${medianWall(["--version"], 10, source).toFixed(0)} ms`);
console.log(`counterpublic ${ANALYZE.join(" ")}, median of 3: built ${medianWall(ANALYZE, 3, built).toFixed(0)} ms, from sources (tsx) ${medianWall(ANALYZE, 3, source).toFixed(0)} ms`);
console.log(`  with --rule bt, median of 3: built ${medianWall([...ANALYZE, "--rule", "bt"], 3, built).toFixed(0)} ms`);

const dataset = await readDataset(ARENA, "arena-pairs");
if (dataset.kind !== "pairwise") throw new Error("the Arena pairs are pairwise");
async function timed(run: () => unknown): Promise<{ wall: number; cpu: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await run();
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: performance.now() - started, cpu: (cpu.user + cpu.system) / 1000 };
}

async function medianTimed(run: () => unknown): Promise<string> {
  const runs: { wall: number; cpu: number }[] = [];
  for (let k = 0; k < 3; k++) runs.push(await timed(run));
  return `wall ${median(runs.map((r) => r.wall)).toFixed(0)} ms, CPU ${median(runs.map((r) => r.cpu)).toFixed(0)} ms`;
}

const options = { rounds: 1000, seed: 0 };
console.log(`  of which the rules kernel (every rule, 1,000 rounds, in process), median of 3: plain ${await medianTimed(() => runRules(dataset.input, options))}`);
console.log(`    Elo and the counting rules on the worker thread beside Bradley–Terry (as the CLI): ${await medianTimed(() => runRulesBesideElo(dataset.input, options))}`);
for (const rule of ["bt", "elo", "ranked-pairs"]) console.log(`    ${rule} alone: ${await medianTimed(() => runRules(dataset.input, { ...options, rules: [rule] }))}`);
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")}`);
