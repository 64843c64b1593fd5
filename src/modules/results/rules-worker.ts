/**
 * The results kernels in a worker thread: a refit takes seconds of CPU on a large evaluation, and on the
 * server's own thread it would stall every other request (judging above all) for as long.
 */
import { parentPort } from "node:worker_threads";
import { runRules, type RunOptions } from "../../analytics/results/run.ts";
import type { StyleBattles } from "../../analytics/results/style-control.ts";
import { styleControlBoard, type StyleBoardOptions } from "../../analytics/results/style-control-board.ts";
import type { ResultsInput } from "../../analytics/results/types.ts";
import { beyondExceptManipulation, manipulationView, runBeyondArena } from "../../analytics/results/beyond-arena.ts";
import { unpackBeyondInput, unpackResultsInput, type WireBeyondInput, type WireResultsInput } from "./pair-rows-wire.ts";
import { AppError } from "../../core/errors.ts";
import { createRng } from "../../analytics/rng.ts";
import { collapseComparisons } from "../../analytics/results/pairs.ts";

type Task =
  | { id: number; kind?: undefined; input: WireResultsInput; options: RunOptions }
  | { id: number; kind: "beyond"; input: WireBeyondInput }
  | { id: number; kind: "manipulation"; input: WireBeyondInput }
  | { id: number; kind: "style"; battles: StyleBattles; options: StyleBoardOptions }
  | { id: number; kind: "warm" };

/**
 * The kernels run once on a small made-up evaluation (30 subjects, 60,000 ordered judgments, two slices), so that
 * the engine has optimised them before the first real page: its first run of each was 2–5 times slower.
 */
function warmUp(): null {
  const rng = createRng(1);
  const subjects = Array.from({ length: 30 }, (_, i) => `s${i}`);
  const size = 60_000;
  const a = new Int32Array(size);
  const b = new Int32Array(size);
  const scoreA = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    a[k] = Math.floor(rng.next() * 30);
    b[k] = ((a[k] as number) + 1 + Math.floor(rng.next() * 29)) % 30;
    scoreA[k] = rng.next() < 0.1 ? 0.5 : rng.next() < 1 / (1 + 10 ** (((b[k] as number) - (a[k] as number)) / 30)) ? 1 : 0;
  }
  const pairs = collapseComparisons(Array.from({ length: size }, (_, k) => ({ a: a[k] as number, b: b[k] as number, outcome: (scoreA[k] === 1 ? "a" : scoreA[k] === 0 ? "b" : "tie") as "a" | "b" | "tie" })));
  const input: ResultsInput = { subjects, pairs, sequence: { a, b, scoreA } };
  const [bt] = runRules(input, { rounds: 200, seed: 0 });
  runRules({ subjects, pairs }, { rules: ["bt", "borda", "ranked-pairs"], intervals: "sandwich" });
  const half = (rows: typeof pairs) => rows.map((row) => ({ ...row, winsA: Math.ceil(row.winsA / 2), winsB: Math.ceil(row.winsB / 2) }));
  const slices = [
    { dimension: "community" as const, key: "one", contributors: 20, rows: half(pairs) },
    { dimension: "community" as const, key: "two", contributors: 20, rows: half(pairs) },
  ];
  runBeyondArena({ subjects, pairs, bt: bt ?? null, k: 10, rounds: 100, seed: 0, slices, votes: null, leaks: [], joins: [] });
  return null;
}

function run(task: Task): unknown {
  if (task.kind === "warm") return warmUp();
  if (task.kind === "beyond") return beyondExceptManipulation(unpackBeyondInput(task.input));
  if (task.kind === "manipulation") return manipulationView(unpackBeyondInput(task.input));
  if (task.kind === "style") return styleControlBoard(task.battles, task.options);
  return runRules(unpackResultsInput(task.input), task.options);
}

parentPort?.on("message", (task: Task) => {
  try {
    parentPort?.postMessage({ id: task.id, results: run(task) });
  } catch (error) {
    const known = error instanceof AppError ? { code: error.code as string, message: error.message } : null;
    parentPort?.postMessage({ id: task.id, error: known ?? { code: null, message: error instanceof Error ? error.message : String(error) } });
  }
});
