/**
 * Judging at scale, on the embedded PostgreSQL and the real HTTP server:
 *  1. fresh assignments (a new participant each, no open assignment) on the demo and on a synthetic
 *     1,000-item × 100-subject evaluation (100,000 responses): median and max (targets < 5 ms, ≤ 20 ms);
 *  2. 50 concurrent HTTP clients (undici, on a worker thread: not on the server's event loop), each a participant
 *     who joined the demo and consented, looping POST assignment → POST judgment for a bounded time: judgments/s and judgment p50/p99 (targets ≥ 300/s,
 *     p99 ≤ 150 ms);
 *  3. pgbench with 50 clients doing raw single-row inserts on the same PostgreSQL, and the ratio.
 * Run: node --import tsx bench/judging-load.bench.ts [seconds=20] [clients=50]
 */
import { spawnSync } from "node:child_process";
import { Worker } from "node:worker_threads";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pool as HttpPool } from "undici";
import { buildServer } from "../src/app.ts";
import { ensureDemo, DEMO_INVITATION, DEMO_SLUG } from "../src/modules/demo/service.ts";
import { nextAssignment } from "../src/modules/judging/service.ts";
import { migrate } from "../src/platform/db/migrate.ts";
import { createAuth } from "../src/platform/http/auth.ts";
import { ownCpuMs, postgresCpuMs, threadCpuMs } from "./cpu-time.ts";
import { benchDatabase } from "./bench-database.ts";

/** Runs bench/judging-clients.ts on a worker thread (through tsx, as this bench runs from sources). */
function clientsOnWorker(task: { origin: string; slug: string; cookies: readonly string[]; seconds: number }): Promise<{ judgmentTimes: number[]; assignmentTimes: number[]; errors: number; elapsed: number; cpuMs: number }> {
  const file = new URL("./judging-clients.ts", import.meta.url).href;
  const worker = new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(file)}); });`, { eval: true, workerData: task });
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

const SECONDS = Number(process.argv[2] ?? 20);
const CLIENTS = Number(process.argv[3] ?? 50);

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const median = (xs: readonly number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;

const { pool, close, dataDir, pg } = await benchDatabase();
const services = { pool };
try {
  await migrate(pool);
  const { rows: versionRows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  process.stdout.write(
    `machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}, PostgreSQL ${versionRows[0]?.v} (embedded)\n`,
  );
  await ensureDemo(services);

  // 1. Fresh assignments, in process (no HTTP): a new participant with consent for each.
  async function freshParticipants(slug: string, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let k = 0; k < n; k++) {
      const userId = `bench-${slug}-${k}-${Date.now()}`;
      await pool.query(`INSERT INTO "user" (id, name, email, "emailVerified", "isAnonymous") VALUES ($1, 'b', $1 || '@bench.invalid', false, true)`, [userId]);
      await pool.query(
        `WITH e AS (SELECT id FROM evaluations WHERE slug = $2), p AS (INSERT INTO participants (evaluation_id, user_id, pseudonym) SELECT e.id, $1, $1 FROM e RETURNING id, evaluation_id)
         INSERT INTO consents (participant_id, evaluation_id, charter_version, scopes) SELECT id, evaluation_id, 1, '{aggregate}' FROM p`,
        [userId, slug],
      );
      ids.push(userId);
    }
    return ids;
  }
  async function freshAssignments(slug: string, n: number) {
    const users = await freshParticipants(slug, n + 1);
    const times: number[] = [];
    let first = NaN;
    for (const [k, userId] of users.entries()) {
      const t0 = performance.now();
      await nextAssignment(services, { userId, isAnonymous: true }, slug, "pairwise");
      const t = performance.now() - t0;
      if (k === 0) first = t;
      else times.push(t);
    }
    return { first, median: median(times), max: Math.max(...times) };
  }
  const demo = await freshAssignments(DEMO_SLUG, 41);
  process.stdout.write(`demo (19 items × 70 subjects): fresh assignment first (cold cache) ${ms(demo.first)}, then median ${ms(demo.median)}, max ${ms(demo.max)} over 41\n`);

  if (process.env.BENCH_SKIP_BIG) process.stdout.write("synthetic evaluation skipped (BENCH_SKIP_BIG)\n");
  else await bigEvaluation();
  async function bigEvaluation() {
  const seed0 = performance.now();
  const { rows: evalRows } = await pool.query<{ id: string }>(`INSERT INTO evaluations (slug, title, status) VALUES ('big', 'Big', 'open') RETURNING id`);
  const bigId = evalRows[0]?.id as string;
  await pool.query(`INSERT INTO charters (evaluation_id, version, content, content_hash) SELECT $1, 1, content, content_hash FROM charters WHERE evaluation_id = (SELECT id FROM evaluations WHERE slug = $2)`, [bigId, DEMO_SLUG]);
  await pool.query(`INSERT INTO subjects (evaluation_id, name, kind) SELECT $1, 'model-' || g, 'model' FROM generate_series(1, 100) g`, [bigId]);
  await pool.query(`INSERT INTO items (evaluation_id, external_ref, prompt) SELECT $1, 'item-' || g, 'Prompt ' || g FROM generate_series(1, 1000) g`, [bigId]);
  await pool.query(
    `INSERT INTO responses (evaluation_id, item_id, subject_id, text)
     SELECT $1, i.id, s.id, 'Response of ' || s.name || ' to ' || i.external_ref FROM items i CROSS JOIN subjects s WHERE i.evaluation_id = $1 AND s.evaluation_id = $1`,
    [bigId],
  );
  await pool.query("ANALYZE");
  process.stdout.write(`synthetic evaluation: 1,000 items × 100 subjects = 100,000 responses inserted in ${((performance.now() - seed0) / 1000).toFixed(1)} s\n`);
  const big = await freshAssignments("big", 41);
  process.stdout.write(`1,000 × 100: fresh assignment first (cold cache: builds the pool index) ${ms(big.first)}, then median ${ms(big.median)}, max ${ms(big.max)} over 41\n`);
  }

  // 2. The judging loop over HTTP.
  const auth = createAuth(pool, { secret: "bench-secret-".padEnd(48, "x"), baseURL: "http://127.0.0.1", trustedOrigins: ["http://127.0.0.1:*"] });
  const app = await buildServer({ services, auth, rateLimit: 1_000_000_000 });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const http = new HttpPool(origin, { connections: CLIENTS, pipelining: 1 });
  async function call(method: "POST" | "PUT", pathName: string, cookie: string, body: unknown) {
    const res = await http.request({ method, path: pathName, headers: { origin, "content-type": "application/json", ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });
    const text = await res.body.text();
    const setCookie = res.headers["set-cookie"];
    const cookies = (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).map((c) => c.split(";")[0] ?? "");
    return { status: res.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, cookie: cookies.join("; ") || cookie };
  }
  const cookies: string[] = [];
  for (let c = 0; c < CLIENTS; c++) {
    const joined = await call("POST", `/api/invitations/${DEMO_INVITATION}/join`, "", { communities: [] });
    if (joined.status !== 201) throw new Error(`join: ${joined.status} ${JSON.stringify(joined.json)}`);
    const consent = await call("PUT", `/api/evaluations/${DEMO_SLUG}/consent`, joined.cookie, { scopes: ["aggregate"] });
    if (consent.status !== 200) throw new Error(`consent: ${consent.status} ${JSON.stringify(consent.json)}`);
    cookies.push(joined.cookie);
  }
  const databaseDir = path.join(dataDir, "pg");
  const cpuBefore = { node: ownCpuMs(), main: threadCpuMs(), pg: postgresCpuMs(databaseDir), load: os.loadavg() };
  const { judgmentTimes, assignmentTimes, errors, elapsed, cpuMs: clientCpu } = await clientsOnWorker({ origin, slug: DEMO_SLUG, cookies, seconds: SECONDS });
  const cpu = { node: ownCpuMs() - cpuBefore.node, main: threadCpuMs() - cpuBefore.main, pg: postgresCpuMs(databaseDir) - cpuBefore.pg, load: os.loadavg() };
  judgmentTimes.sort((a, b) => a - b);
  assignmentTimes.sort((a, b) => a - b);
  const rate = judgmentTimes.length / elapsed;
  process.stdout.write(
    `judging loop, ${CLIENTS} HTTP clients, ${elapsed.toFixed(1)} s: ${judgmentTimes.length} judgments = ${rate.toFixed(0)} judgments/s; ` +
      `judgment p50 ${ms(quantile(judgmentTimes, 0.5))}, p99 ${ms(quantile(judgmentTimes, 0.99))}; assignment p50 ${ms(quantile(assignmentTimes, 0.5))}, p99 ${ms(quantile(assignmentTimes, 0.99))}; errors ${errors}\n`,
  );
  const perJudgment = (x: number) => (x / Math.max(1, judgmentTimes.length)).toFixed(2);
  process.stdout.write(
    `CPU per judgment loop (assignment + judgment): server ${perJudgment(cpu.node - clientCpu)} ms (of it its event loop's thread ${perJudgment(cpu.main)} ms), ` +
      `PostgreSQL ${perJudgment(cpu.pg)} ms, server + PostgreSQL ${perJudgment(cpu.node - clientCpu + cpu.pg)} ms (the clients' thread ${perJudgment(clientCpu)} ms); ` +
      `load average ${cpuBefore.load.map((x) => x.toFixed(2)).join(" / ")} before, ${cpu.load.map((x) => x.toFixed(2)).join(" / ")} after\n`,
  );
  await http.close();
  await app.close();

  // 3. pgbench: raw single-row inserts, same clients, same server.
  await pool.query("CREATE TABLE bench_inserts (id bigserial PRIMARY KEY, v int NOT NULL, t text NOT NULL, at timestamptz NOT NULL DEFAULT now())");
  const script = path.join(dataDir, "insert.sql");
  writeFileSync(script, "INSERT INTO bench_inserts (v, t) VALUES (1, 'x');\n");
  const pgbench = process.env.PGBENCH ?? "pgbench";
  const run = spawnSync(pgbench, ["-n", "-c", String(CLIENTS), "-j", "2", "-T", String(Math.min(SECONDS, 10)), "-f", script, pg.url("bench")], { encoding: "utf8" });
  const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? NaN);
  if (!Number.isFinite(tps)) process.stdout.write(`pgbench failed: ${run.stderr || run.stdout}\n`);
  else process.stdout.write(`pgbench (${spawnSync(pgbench, ["--version"], { encoding: "utf8" }).stdout.trim()}), ${CLIENTS} clients, single-row INSERT: ${tps.toFixed(0)} tps; judgments/s ÷ inserts/s = ${(rate / tps).toFixed(3)}\n`);
} finally {
  await close();
}
