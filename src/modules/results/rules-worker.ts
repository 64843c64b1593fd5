/**
 * The results kernels in a worker thread: a refit takes seconds of CPU on a large evaluation, and on the
 * server's own thread it would stall every other request (judging above all) for as long.
 */
import { parentPort } from "node:worker_threads";
import { runRules, type RunOptions } from "../../analytics/results/run.ts";
import type { StyleBattles } from "../../analytics/results/style-control.ts";
import { styleControlBoard, type StyleBoardOptions } from "../../analytics/results/style-control-board.ts";
import type { ResultsInput } from "../../analytics/results/types.ts";
import { runBeyondArena, type BeyondInput } from "../../analytics/results/beyond-arena.ts";
import { AppError } from "../../core/errors.ts";

type Task =
  | { id: number; kind?: undefined; input: ResultsInput; options: RunOptions }
  | { id: number; kind: "beyond"; input: BeyondInput }
  | { id: number; kind: "style"; battles: StyleBattles; options: StyleBoardOptions };

function run(task: Task): unknown {
  if (task.kind === "beyond") return runBeyondArena(task.input);
  if (task.kind === "style") return styleControlBoard(task.battles, task.options);
  return runRules(task.input, task.options);
}

parentPort?.on("message", (task: Task) => {
  try {
    parentPort?.postMessage({ id: task.id, results: run(task) });
  } catch (error) {
    const known = error instanceof AppError ? { code: error.code as string, message: error.message } : null;
    parentPort?.postMessage({ id: task.id, error: known ?? { code: null, message: error instanceof Error ? error.message : String(error) } });
  }
});
