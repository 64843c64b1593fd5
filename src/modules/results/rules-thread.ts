/**
 * Runs the results kernels off the server's thread, on two workers: the results of a large evaluation read
 * their data by one scan first (judgment-snapshot.ts), after which PostgreSQL is idle and the kernels (the
 * headline rules on one worker, the community views and beyond-Arena analyses on the other) can use both
 * cores. Each task goes to the worker with fewer tasks pending. Workers are started on first use, do not keep
 * the process alive while idle, and are started again if they die.
 */
import { Worker } from "node:worker_threads";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunOptions } from "../../analytics/results/run.ts";
import type { BeyondArena, BeyondInput } from "../../analytics/results/beyond-arena.ts";
import type { StyleBattles, StyleControlResult } from "../../analytics/results/style-control.ts";
import type { StyleBoardOptions } from "../../analytics/results/style-control-board.ts";
import { packBeyondInput, packResultsInput } from "./pair-rows-wire.ts";
import { RULE_NAMES, ResultsError, type ResultsErrorCode, type ResultsInput, type RuleResult } from "../../analytics/results/types.ts";

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

const WORKERS = 2;

/** One worker slot: its thread (null until used or after it died) and its tasks waiting for a reply. */
interface Slot {
  worker: Worker | null;
  readonly pending: Map<number, Pending>;
}

const slots: Slot[] = Array.from({ length: WORKERS }, () => ({ worker: null, pending: new Map<number, Pending>() }));
let nextId = 0;

function started(slot: Slot): Worker {
  if (slot.worker) return slot.worker;
  const fresh = spawnWorker();
  fresh.unref();
  fresh.on("message", (reply: Reply) => settle(slot, reply));
  fresh.on("error", (error) => failAll(slot, error));
  fresh.on("exit", () => {
    slot.worker = null;
    failAll(slot, new Error("the results worker stopped"));
  });
  slot.worker = fresh;
  return fresh;
}

/**
 * Starts the workers ahead of the first results request, and has each run the kernels once on a small made-up
 * evaluation (a server does at start: loading their code, and the engine's first runs of them, take a while).
 */
export async function startResultsWorkers(): Promise<void> {
  await Promise.all(slots.map((slot) => postTo(slot, { kind: "warm" })));
}

function settle(slot: Slot, reply: Reply): void {
  const task = slot.pending.get(reply.id);
  if (!task) return;
  slot.pending.delete(reply.id);
  if (slot.pending.size === 0) slot.worker?.unref();
  if ("results" in reply) task.resolve(reply.results);
  else task.reject(reply.error.code ? new ResultsError(reply.error.code as ResultsErrorCode, reply.error.message) : new Error(reply.error.message));
}

function failAll(slot: Slot, error: Error): void {
  for (const task of slot.pending.values()) task.reject(error);
  slot.pending.clear();
}

function onThread<T>(task: Record<string, unknown>): Promise<T> {
  return postTo(slots.reduce((least, candidate) => (candidate.pending.size < least.pending.size ? candidate : least)), task);
}

/** A task's reply; a worker that cannot be started or sent to rejects it (never throws, so that tasks started together all settle). */
function postTo<T>(slot: Slot, task: Record<string, unknown>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const thread = started(slot);
    const id = (nextId += 1);
    thread.ref();
    slot.pending.set(id, { resolve: resolve as (results: never) => void, reject });
    try {
      thread.postMessage({ id, ...task });
    } catch (error) {
      slot.pending.delete(id);
      throw error;
    }
  });
}

/**
 * `runRules` on the workers: the same results in the same order, the same typed errors. Bradley–Terry (its
 * bootstrap) and the other rules (Elo's replays above all) are two tasks, so that they run at once; Bradley–Terry
 * is sent without the ordered sequence only Elo reads.
 */
export async function runRulesOffThread(input: ResultsInput, options: RunOptions): Promise<RuleResult[]> {
  const rules = options.rules ?? RULE_NAMES;
  const others = rules.filter((rule) => rule !== "bt");
  if (others.length === rules.length || others.length === 0) return onThread<RuleResult[]>({ input: packResultsInput(input), options });
  const { sequence: _sequence, comparisons: _comparisons, ...counts } = input;
  const [bt, rest] = await Promise.all([
    onThread<RuleResult[]>({ input: packResultsInput(counts), options: { ...options, rules: ["bt"] } }),
    onThread<RuleResult[]>({ input: packResultsInput(input), options: { ...options, rules: others } }),
  ]);
  const byRule = new Map([...bt, ...rest].map((result) => [result.rule, result]));
  return rules.flatMap((rule) => byRule.get(rule as RuleResult["rule"]) ?? []);
}

/** `runBeyondArena` (slices, bridging, anomalies; the manipulation costs as a task of their own, at the same time). */
export async function runBeyondOffThread(input: BeyondInput): Promise<BeyondArena> {
  const [rest, manipulation] = await Promise.all([
    onThread<Omit<BeyondArena, "manipulation">>({ kind: "beyond", input: packBeyondInput(input) }),
    // the costs read the board, its pairs and its top tier only
    onThread<BeyondArena["manipulation"]>({ kind: "manipulation", input: packBeyondInput({ ...input, slices: [], votes: null, leaks: [], joins: [] }) }),
  ]);
  return { ...rest, manipulation };
}

/** `styleControlBoard` on the same worker thread. */
export function styleControlOffThread(battles: StyleBattles, options: StyleBoardOptions): Promise<StyleControlResult> {
  return onThread<StyleControlResult>({ kind: "style", battles, options });
}
