/**
 * Runs the results kernels off the server's thread, one worker for the process (the machine's other core
 * is PostgreSQL's), tasks in order. The worker is started on first use, does not keep the process alive
 * while idle, and is started again if it dies.
 */
import { Worker } from "node:worker_threads";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunOptions } from "../../analytics/results/run.ts";
import type { StyleBattles, StyleBoardOptions, StyleControlResult } from "../../analytics/results/style-control.ts";
import { ResultsError, type ResultsErrorCode, type ResultsInput, type RuleResult } from "../../analytics/results/types.ts";

interface Pending {
  resolve: (results: RuleResult[] | StyleControlResult) => void;
  reject: (error: Error) => void;
}

type Reply = { id: number; results: RuleResult[] | StyleControlResult } | { id: number; error: { code: string | null; message: string } };

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

function offThread(message: Record<string, unknown>): Promise<RuleResult[] | StyleControlResult> {
  const thread = started();
  const id = (nextId += 1);
  thread.ref();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.postMessage({ id, ...message });
  });
}

/** `runRules` on the worker thread: the same results, the same typed errors. */
export async function runRulesOffThread(input: ResultsInput, options: RunOptions): Promise<RuleResult[]> {
  return (await offThread({ input, options })) as RuleResult[];
}

/** `styleControlBoard` on the worker thread. */
export async function styleControlOffThread(battles: StyleBattles, options: StyleBoardOptions): Promise<StyleControlResult> {
  return (await offThread({ style: { battles, options } })) as StyleControlResult;
}
