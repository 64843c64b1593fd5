/**
 * The results kernels in a worker thread: a refit takes seconds of CPU on a large evaluation, and on the
 * server's own thread it would stall every other request (judging above all) for as long.
 */
import { parentPort } from "node:worker_threads";
import { runRules, type RunOptions } from "../../analytics/results/run.ts";
import { styleControlBoard, type StyleBattles, type StyleBoardOptions } from "../../analytics/results/style-control.ts";
import type { ResultsInput } from "../../analytics/results/types.ts";
import { AppError } from "../../core/errors.ts";

type Task = { id: number; input: ResultsInput; options: RunOptions } | { id: number; style: { battles: StyleBattles; options: StyleBoardOptions } };

parentPort?.on("message", (task: Task) => {
  try {
    if ("style" in task) parentPort?.postMessage({ id: task.id, results: styleControlBoard(task.style.battles, task.style.options) });
    else parentPort?.postMessage({ id: task.id, results: runRules(task.input, task.options) });
  } catch (error) {
    const known = error instanceof AppError ? { code: error.code as string, message: error.message } : null;
    parentPort?.postMessage({ id: task.id, error: known ?? { code: null, message: error instanceof Error ? error.message : String(error) } });
  }
});
