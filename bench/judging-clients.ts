/**
 * The judging-load bench's HTTP clients, on a worker thread of their own: what they do between requests (undici,
 * JSON, bookkeeping) must not run on the server's event loop, as it would not for clients on other machines.
 * workerData: { origin, slug, cookies, seconds }; posts back { judgmentTimes, assignmentTimes, errors, elapsed, cpuMs } (cpuMs: this thread's CPU).
 */
import { parentPort, workerData } from "node:worker_threads";
import { Pool as HttpPool } from "undici";
import { threadCpuMs } from "./cpu-time.ts";

interface Task {
  readonly origin: string;
  readonly slug: string;
  readonly cookies: readonly string[];
  readonly seconds: number;
}

const task = workerData as Task;
const http = new HttpPool(task.origin, { connections: task.cookies.length, pipelining: 1 });
const outcomes = ["a", "b", "tie", "both_bad"] as const;

async function post(pathName: string, cookie: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await http.request({ method: "POST", path: pathName, headers: { origin: task.origin, "content-type": "application/json", cookie }, body: JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const judgmentTimes: number[] = [];
const assignmentTimes: number[] = [];
let errors = 0;
const until = performance.now() + task.seconds * 1000;
const start = performance.now();
const cpuStart = threadCpuMs();
await Promise.all(
  task.cookies.map(async (cookie) => {
    while (performance.now() < until) {
      const t0 = performance.now();
      const assignment = await post(`/api/evaluations/${task.slug}/assignments`, cookie, { mode: "pairwise" });
      const t1 = performance.now();
      if (assignment.status !== 201) {
        errors += 1;
        continue;
      }
      assignmentTimes.push(t1 - t0);
      const judgment = await post(`/api/evaluations/${task.slug}/assignments/${String(assignment.json.token)}/judgment`, cookie, {
        judgment: { kind: "pairwise", outcome: outcomes[Math.floor(Math.random() * 4)] },
      });
      if (judgment.status !== 201) errors += 1;
      else judgmentTimes.push(performance.now() - t1);
    }
  }),
);
const elapsed = (performance.now() - start) / 1000;
const cpuMs = threadCpuMs() - cpuStart;
await http.close();
parentPort?.postMessage({ judgmentTimes, assignmentTimes, errors, elapsed, cpuMs });
