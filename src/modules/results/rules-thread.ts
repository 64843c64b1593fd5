/**
 * Runs the results kernels off the server's thread, one worker for the process (the machine's other core
 * is PostgreSQL's), tasks in order. The worker is started on first use, does not keep the process alive
 * while idle, and is started again if it dies.
 */
import { Worker } from "node:worker_threads";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunOptions } from "../../analytics/results/run.ts";
import type { BeyondArena, BeyondInput } from "../../analytics/results/beyond-arena.ts";
import type { StyleBattles, StyleControlResult } from "../../analytics/results/style-control.ts";
import type { StyleBoardOptions } from "../../analytics/results/style-control-board.ts";
import { ResultsError, type ResultsErrorCode, type ResultsInput, type RuleResult } from "../../analytics/results/types.ts";

interface Pending {
  resolve: (results: never) => void;
  reject: (error: Error) => void;
}

type Reply = { id: number; results: never } | { id: number; error: { code: string | null; message: string } };

// Built to dist/ the worker is .js; run from sources it is .ts, which the worker loads through tsx's API
// (a worker does not inherit the main thread's module hooks).
const EXTENSION = path.extname(fileURLToPath(import.meta.url));
const WORKER_FILE = new URL(`./rules-worker${EXTENSION}`, import.meta.url);

function spawnWorker(): Worker {
  if (EXTENSION !== ".ts") return new Worker(WORKER_FILE);
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(WORKER_FILE.href)}); });`;
  return new Worker(boot, { eval: true });
}

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Pending>();

function started(): Worker {
  if (worker) return worker;
  const fresh = spawnWorker();
  fresh.unref();
  fresh.on("message", (reply: Reply) => settle(reply));
  fresh.on("error", (error) => failAll(error));
  fresh.on("exit", () => {
    worker = null;
    failAll(new Error("the results worker stopped"));
  });
  worker = fresh;
  return fresh;
}

function settle(reply: Reply): void {
  const task = pending.get(reply.id);
  if (!task) return;
  pending.delete(reply.id);
  if (pending.size === 0) worker?.unref();
  if ("results" in reply) task.resolve(reply.results);
  else task.reject(reply.error.code ? new ResultsError(reply.error.code as ResultsErrorCode, reply.error.message) : new Error(reply.error.message));
}

function failAll(error: Error): void {
  for (const task of pending.values()) task.reject(error);
  pending.clear();
}

function onThread<T>(task: Record<string, unknown>): Promise<T> {
  const thread = started();
  const id = (nextId += 1);
  thread.ref();
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (results: never) => void, reject });
    thread.postMessage({ id, ...task });
  });
}

/** `runRules` on the worker thread: the same results, the same typed errors. */
export function runRulesOffThread(input: ResultsInput, options: RunOptions): Promise<RuleResult[]> {
  return onThread<RuleResult[]>({ input, options });
}

/** `runBeyondArena` (slices, bridging, manipulation cost, anomalies) on the same worker thread. */
export function runBeyondOffThread(input: BeyondInput): Promise<BeyondArena> {
  return onThread<BeyondArena>({ kind: "beyond", input });
}

/** `styleControlBoard` on the same worker thread. */
export function styleControlOffThread(battles: StyleBattles, options: StyleBoardOptions): Promise<StyleControlResult> {
  return onThread<StyleControlResult>({ kind: "style", battles, options });
}
