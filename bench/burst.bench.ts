/**
 * Does a burst of expensive public requests slow judging down? The real server on embedded PostgreSQL
 * with the demo evaluation:
 *  1. 20 clients (participants who joined and consented) loop POST assignment → POST judgment for S
 *     seconds: judgment p99 alone;
 *  2. the same 20 clients for S seconds while 10 anonymous clients hammer expensive public requests
 *     (results with a new random seed and rounds=5000 each time, the default results, the opinion map,
 *     the card): judgment p99 under the burst.
 * Prints both p99s, their ratio (target ≤ 2×), the burst's status counts, and the machine's facts.
 * Run: node --import tsx bench/burst.bench.ts [seconds=10] [judges=20] [hammers=10] [mix=all|seeds]
 * (mix=seeds: only the random-seed results requests, to see the rounds/seed rule alone)
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pool as HttpPool } from "undici";
import { buildServer } from "../src/app.ts";
import { ensureDemo, DEMO_INVITATION, DEMO_SLUG } from "../src/modules/demo/service.ts";
import { createDatabase, createPool } from "../src/platform/db/pool.ts";
import { startEmbeddedPostgres } from "../src/platform/db/embedded.ts";
import { migrate } from "../src/platform/db/migrate.ts";
import { createAuth } from "../src/platform/http/auth.ts";

const SECONDS = Number(process.argv[2] ?? 10);
const JUDGES = Number(process.argv[3] ?? 20);
const HAMMERS = Number(process.argv[4] ?? 10);
const MIX = process.argv[5] ?? "all";

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const facts = () => `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")}, Node ${process.version}`;

const dataDir = mkdtempSync(path.join(os.tmpdir(), "counterpublic-burst-"));
const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
await createDatabase(pg.url("postgres"), "bench");
const pool = createPool(pg.url("bench"), 10);
const services = { pool };
try {
  await migrate(pool);
  await ensureDemo(services);
  process.stdout.write(`machine before: ${facts()}\n`);
  const auth = createAuth(pool, { secret: "bench-secret-".padEnd(48, "x"), baseURL: "http://127.0.0.1", trustedOrigins: ["http://127.0.0.1:*"] });
  const app = await buildServer({ services, auth, rateLimit: 1_000_000_000 });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const http = new HttpPool(origin, { connections: JUDGES + HAMMERS, pipelining: 1 });
  async function call(method: "GET" | "POST" | "PUT", pathName: string, cookie: string, body?: unknown) {
    const res = await http.request({
      method,
      path: pathName,
      headers: { origin, ...(body === undefined ? {} : { "content-type": "application/json" }), ...(cookie ? { cookie } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    const setCookie = res.headers["set-cookie"];
    const cookies = (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []).map((c) => c.split(";")[0] ?? "");
    return { status: res.statusCode, json: text && method !== "GET" ? (JSON.parse(text) as Record<string, unknown>) : {}, cookie: cookies.join("; ") || cookie };
  }
  const cookies: string[] = [];
  for (let c = 0; c < JUDGES; c++) {
    const joined = await call("POST", `/api/invitations/${DEMO_INVITATION}/join`, "", { communities: [] });
    if (joined.status !== 201) throw new Error(`join: ${joined.status} ${JSON.stringify(joined.json)}`);
    const consent = await call("PUT", `/api/evaluations/${DEMO_SLUG}/consent`, joined.cookie, { scopes: ["aggregate"] });
    if (consent.status !== 200) throw new Error(`consent: ${consent.status}`);
    cookies.push(joined.cookie);
  }

  async function judgingLoop(seconds: number): Promise<{ p50: number; p99: number; n: number; errors: number }> {
    const times: number[] = [];
    let errors = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      cookies.map(async (cookie) => {
        while (performance.now() < until) {
          const assignment = await call("POST", `/api/evaluations/${DEMO_SLUG}/assignments`, cookie, { mode: "pairwise" });
          if (assignment.status !== 201) {
            errors += 1;
            continue;
          }
          const t0 = performance.now();
          const judgment = await call("POST", `/api/evaluations/${DEMO_SLUG}/assignments/${String(assignment.json.token)}/judgment`, cookie, { judgment: { kind: "pairwise", outcome: "a" } });
          if (judgment.status === 201) times.push(performance.now() - t0);
          else errors += 1;
        }
      }),
    );
    times.sort((a, b) => a - b);
    return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), n: times.length, errors };
  }

  const SEEDED = [
    () => `/api/evaluations/${DEMO_SLUG}/results?rounds=5000&seed=${Math.floor(Math.random() * 2 ** 31)}`,
    () => `/api/evaluations/${DEMO_SLUG}/results?seed=${Math.floor(Math.random() * 2 ** 31)}`,
  ];
  const EXPENSIVE =
    MIX === "seeds" ? SEEDED : [...SEEDED, () => `/api/evaluations/${DEMO_SLUG}/results`, () => `/api/evaluations/${DEMO_SLUG}/opinion`, () => `/api/evaluations/${DEMO_SLUG}/card`];
  const statuses = new Map<string, number>();
  async function hammer(stop: () => boolean): Promise<void> {
    let k = 0;
    while (!stop()) {
      const pick = EXPENSIVE[k++ % EXPENSIVE.length] as () => string;
      const url = pick();
      const res = await call("GET", url, "");
      const key = `${url.split("?")[0]?.split("/").pop()}${url.includes("seed=") ? "?seed" : ""} ${res.status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
  }

  await judgingLoop(2); // warm-up
  const alone = await judgingLoop(SECONDS);
  process.stdout.write(`judging alone, ${JUDGES} clients, ${SECONDS} s: ${alone.n} judgments, p50 ${ms(alone.p50)}, p99 ${ms(alone.p99)}, errors ${alone.errors}\n`);
  let stopped = false;
  const hammers = Array.from({ length: HAMMERS }, () => hammer(() => stopped));
  const burst = await judgingLoop(SECONDS);
  stopped = true;
  await Promise.all(hammers);
  process.stdout.write(`judging under burst, ${JUDGES} clients + ${HAMMERS} public hammers (mix ${MIX}), ${SECONDS} s: ${burst.n} judgments, p50 ${ms(burst.p50)}, p99 ${ms(burst.p99)}, errors ${burst.errors}\n`);
  process.stdout.write(`burst requests: ${[...statuses].sort().map(([k, n]) => `${k}: ${n}`).join(", ")}\n`);
  process.stdout.write(`p99 ratio (burst ÷ alone): ${(burst.p99 / alone.p99).toFixed(2)}× (target ≤ 2×)\n`);
  process.stdout.write(`machine after: ${facts()}\n`);
  await http.close();
  await app.close();
} finally {
  await pool.end();
  await pg.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
