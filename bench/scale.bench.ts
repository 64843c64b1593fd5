/**
 * Judging at real scale, through the real HTTP server on the embedded PostgreSQL:
 *  1. upload of 100,000 responses (1,000 items × 100 subjects) as outputs-jsonl through
 *     POST /api/evaluations/:id/imports (target ≤ 5 s);
 *  2. 1,000,000 pairwise judgments added to that evaluation by the bench itself (bulk SQL), then every
 *     request the public results page makes (src/web/results), cold and warm (target ≤ 2 s cold);
 *  3. the opinion map (GET /opinion) cold and warm over 2,000 voters × 200 statements.
 * BENCH_EXPLAIN=1 prints EXPLAIN ANALYZE of every SQL statement the cold results request ran.
 * Run: node --import tsx bench/scale.bench.ts [judgments=1000000]   (or `upload`: the upload part only, with CPU times)
 */
import os from "node:os";
import path from "node:path";
import { buildServer } from "../src/app.ts";
import type { Pool } from "../src/platform/db/pool.ts";
import { migrate } from "../src/platform/db/migrate.ts";
import { createAuth } from "../src/platform/http/auth.ts";
import { startResultsWorkers } from "../src/modules/results/rules-thread.ts";
import { readJudgmentSnapshot } from "../src/modules/results/judgment-snapshot.ts";
import { ownCpuMs, postgresCpuMs } from "./cpu-time.ts";
import { benchDatabase } from "./bench-database.ts";

const ONLY_UPLOAD = process.argv[2] === "upload";
class UploadOnlyDone extends Error {}
const JUDGMENTS = ONLY_UPLOAD ? 0 : Number(process.argv[2] ?? 1_000_000);
const ITEMS = 1000;
const SUBJECTS = 100;
const PARTICIPANTS = 2000;
const STATEMENTS = 200;
const SLUG = "scale";
const out = (line: string) => process.stdout.write(`${line}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const { pool, close, dataDir } = await benchDatabase();

/** Every statement the server runs, with its duration, while `recording` is set. */
const recorded: { text: string; values: unknown[]; ms: number }[] = [];
let recording = false;
function recordingPool(inner: Pool): Pool {
  const query = inner.query.bind(inner) as (text: unknown, values?: unknown) => Promise<unknown>;
  (inner as unknown as { query: unknown }).query = async (text: unknown, values?: unknown) => {
    if (!recording || typeof text !== "string") return query(text, values);
    const t0 = performance.now();
    const result = await query(text, values);
    recorded.push({ text, values: (values as unknown[] | undefined) ?? [], ms: performance.now() - t0 });
    return result;
  };
  return inner;
}

try {
  await migrate(pool);
  const { rows: versionRows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  const load = os.loadavg().map((x) => x.toFixed(1)).join(" / ");
  out(`machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}, PostgreSQL ${versionRows[0]?.v} (embedded)`);
  out(`load average at start (1 / 5 / 15 min): ${load}`);

  const services = { pool: recordingPool(pool) };
  const auth = createAuth(pool, { secret: "bench-secret-".padEnd(48, "x"), baseURL: "http://127.0.0.1", trustedOrigins: ["http://127.0.0.1:*"], attemptsPerMinute: false });
  const app = await buildServer({ services, auth, rateLimit: 1_000_000_000 });
  await app.listen({ port: 0, host: "127.0.0.1" });
  await startResultsWorkers(); // as `counterpublic serve` does once listening (and the warm-up is over long before a first page)
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  let cookie = "";
  async function call(method: string, pathName: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; bytes: number }> {
    const res = await fetch(origin + pathName, {
      method,
      headers: { origin, ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = res.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
    if (setCookie.length) cookie = setCookie.join("; ");
    const text = await res.text();
    return { status: res.status, json: text.startsWith("{") ? (JSON.parse(text) as Record<string, unknown>) : {}, bytes: text.length };
  }
  const signed = await call("POST", "/api/auth/sign-up/email", { email: "organiser@bench.invalid", password: "correct horse battery", name: "Organiser" });
  if (signed.status !== 200) throw new Error(`sign-up: ${signed.status}`);
  const created = await call("POST", "/api/evaluations", { slug: SLUG, title: "Scale", charter: { purpose: "scale bench", sponsor: "bench" } });
  if (created.status !== 201) throw new Error(`evaluation: ${created.status} ${JSON.stringify(created.json)}`);

  // 1. Upload: 100,000 (item, subject, response) rows; one response in 1,000 names its maker.
  const lines: string[] = [];
  for (let i = 1; i <= ITEMS; i++) {
    for (let s = 1; s <= SUBJECTS; s++) {
      const leak = (i * SUBJECTS + s) % 1000 === 0 ? " As a model trained by OpenAI, I would add one more thing." : "";
      const response = `Answer ${s} to question ${i}: ${"a considered reply with several clauses, ".repeat(6)}done.${leak}`;
      lines.push(JSON.stringify({ item: `question-${i}`, subject: s % 10 === 0 ? `gpt-${s}` : `model-${s}`, response }));
    }
  }
  const content = lines.join("\n");
  const cpu0 = { node: ownCpuMs(), pg: postgresCpuMs(path.join(dataDir, "pg")) };
  const u0 = performance.now();
  recording = true;
  const uploaded = await call("POST", `/api/evaluations/${SLUG}/imports`, { format: "outputs-jsonl", content });
  const uploadMs = performance.now() - u0;
  recording = false;
  const uploadCpu = { node: ownCpuMs() - cpu0.node, pg: postgresCpuMs(path.join(dataDir, "pg")) - cpu0.pg };
  const sqlMs = recorded.reduce((sum, r) => sum + r.ms, 0);
  out(`upload: ${recorded.length} SQL statements took ${secs(sqlMs)} in all; slowest: ${[...recorded].sort((a, b) => b.ms - a.ms).slice(0, 4).map((r) => `${r.ms.toFixed(0)} ms ${r.text.replace(/\s+/g, " ").slice(0, 60)}…`).join("; ")}`);
  recorded.length = 0;
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${JSON.stringify(uploaded.json)}`);
  const leaks = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM responses WHERE identity_leak IS NOT NULL");
  out(`upload of ${lines.length.toLocaleString("en")} responses (${(content.length / 2 ** 20).toFixed(1)} MiB outputs-jsonl) through POST /imports: ${secs(uploadMs)} (target ≤ 5 s); ${JSON.stringify({ ...uploaded.json, preview: undefined })}; ${leaks.rows[0]?.n} flagged as identity leaks`);
  out(`upload CPU: Node (server and client) ${secs(uploadCpu.node)}, PostgreSQL ${secs(uploadCpu.pg)}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(" / ")}`);
  if (ONLY_UPLOAD) {
    await app.close();
    throw new UploadOnlyDone();
  }

  // 2. A million judgments, inserted in bulk by the bench: participants in 5 communities, 95% consenting.
  const s0 = performance.now();
  const evaluationId = (await pool.query<{ id: string }>("SELECT id FROM evaluations WHERE slug = $1", [SLUG])).rows[0]?.id as string;
  await pool.query(
    `INSERT INTO participants (evaluation_id, pseudonym, communities)
     SELECT $1, 'p-' || g, CASE WHEN g % 7 = 0 THEN ARRAY['c' || (g % 5), 'c' || ((g + 1) % 5)] ELSE ARRAY['c' || (g % 5)] END FROM generate_series(1, ${PARTICIPANTS}) g`,
    [evaluationId],
  );
  await pool.query(
    `INSERT INTO consents (participant_id, evaluation_id, charter_version, scopes)
     SELECT id, evaluation_id, 1, CASE WHEN random() < 0.95 THEN '{aggregate}'::text[] ELSE '{}'::text[] END FROM participants WHERE evaluation_id = $1
     ON CONFLICT (participant_id) DO NOTHING`,
    [evaluationId],
  );
  await pool.query(
    `WITH s AS (SELECT array_agg(id ORDER BY created_at, name) AS ids FROM subjects WHERE evaluation_id = $1),
          i AS (SELECT array_agg(id ORDER BY external_ref) AS ids FROM items WHERE evaluation_id = $1),
          r AS (SELECT array_agg(r.id ORDER BY it.external_ref, su.created_at, su.name) AS ids
                  FROM responses r JOIN items it ON it.id = r.item_id JOIN subjects su ON su.id = r.subject_id WHERE r.evaluation_id = $1),
          p AS (SELECT array_agg(id) AS ids FROM participants WHERE evaluation_id = $1 AND pseudonym LIKE 'p-%'),
          draws AS (SELECT 1 + floor(random() * ${ITEMS})::int AS item, 1 + floor(random() * ${SUBJECTS})::int AS x, 1 + floor(random() * ${SUBJECTS - 1})::int AS y0,
                           1 + floor(random() * ${PARTICIPANTS})::int AS who, random() AS u FROM generate_series(1, ${JUDGMENTS})),
          pairs AS (SELECT item, x, CASE WHEN y0 >= x THEN y0 + 1 ELSE y0 END AS y, who, u FROM draws)
     INSERT INTO judgments (evaluation_id, participant_id, item_id, kind, body, subject_a, subject_b, outcome, response_ids, charter_version, consent_scopes)
     SELECT $1, p.ids[who], i.ids[item], 'pairwise', jsonb_build_object('kind', 'pairwise', 'outcome', o.outcome), s.ids[x], s.ids[y], o.outcome,
            ARRAY[r.ids[(item - 1) * ${SUBJECTS} + x], r.ids[(item - 1) * ${SUBJECTS} + y]], 1, '{aggregate}'
       FROM pairs, s, i, r, p,
            LATERAL (SELECT CASE WHEN u < 0.1 THEN 'tie' WHEN u < 0.12 THEN 'both_bad'
                                 WHEN u < 0.12 + 0.88 / (1 + power(10, (y - x) / 30.0)) THEN 'a' ELSE 'b' END AS outcome) o`,
    [evaluationId],
  );
  // what autovacuum does after a bulk load; without it the planner takes the 2,000 consents for 11 rows
  await pool.query("VACUUM ANALYZE judgments, participants, consents, responses, items, subjects");
  out(`seeded ${JUDGMENTS.toLocaleString("en")} pairwise judgments (${SUBJECTS} subjects, ${ITEMS} items, ${PARTICIPANTS} participants in 5 communities, 95% consenting) in ${secs(performance.now() - s0)}`);

  // What the public results page requests (src/web/results): results by community, the dissent record,
  // the opinion summary and the labour account (the card only on demand).
  const page = ["/results?by=community", "/minority-reports", "/demands", "/opinion", "/labour", "/exports"].map((p) => `/api/evaluations/${SLUG}${p}`);
  async function timed(pathName: string): Promise<number> {
    const t0 = performance.now();
    const res = await call("GET", pathName);
    if (res.status !== 200) throw new Error(`${pathName}: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
    return performance.now() - t0;
  }
  async function wholePage(label: string): Promise<void> {
    const t0 = performance.now();
    const each = await Promise.all(page.map(async (p) => `${p.replace(`/api/evaluations/${SLUG}`, "")} ${secs(await timed(p))}`));
    out(`${label}: whole page (its ${page.length} requests in parallel, as the browser makes them) ${secs(performance.now() - t0)} — ${each.join(", ")}`);
  }
  recording = true;
  await wholePage("results page cold (first request after the data changed)");
  recording = false;
  const slow = [...recorded].sort((a, b) => b.ms - a.ms).slice(0, 12);
  out(`SQL of the cold page: ${recorded.length} statements, ${secs(recorded.reduce((sum, r) => sum + r.ms, 0))} summed (they overlap: several run at once)`);
  out(`slowest SQL statements of the cold page: ${slow.map((r) => `${r.ms.toFixed(0)} ms ${r.text.replace(/\s+/g, " ").slice(0, 70)}…`).join("\n  ")}`);
  if (process.env.BENCH_EXPLAIN) {
    let executed = 0;
    for (const r of slow) {
      const plan = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${r.text}`, r.values);
      const lines = plan.rows.map((row) => row["QUERY PLAN"]);
      executed += Number(/Execution Time: ([\d.]+)/.exec(lines.join("\n"))?.[1] ?? 0);
      out(`\n${r.text.replace(/\s+/g, " ")}\n${lines.join("\n")}`);
    }
    out(`EXPLAIN ANALYZE of those ${slow.length} statements, one at a time: ${secs(executed)} summed execution time`);
  }
  const r0 = performance.now();
  const snapshot = await readJudgmentSnapshot(pool, evaluationId);
  out(`of which the judgment snapshot (one scan, src/modules/results/judgment-snapshot.ts; on its own connection, not in the SQL list above), read again alone: ${secs(performance.now() - r0)} for ${snapshot.size.toLocaleString("en")} judgments`);
  await wholePage("results page warm (same data)");
  await wholePage("results page warm again");
  const plain = await timed(`/api/evaluations/${SLUG}/results`);
  out(`GET /results (default parameters, no community views), cold for these parameters: ${secs(plain)}; warm: ${secs(await timed(`/api/evaluations/${SLUG}/results`))}`);

  // 3. The opinion map: 200 statements, each participant voting on about 30% of them.
  const o0 = performance.now();
  await pool.query(`INSERT INTO statements (evaluation_id, text, author_role, moderation) SELECT $1, 'Statement ' || g, 'organiser', 'accepted' FROM generate_series(1, ${STATEMENTS}) g`, [evaluationId]);
  await pool.query(
    `INSERT INTO statement_votes (evaluation_id, statement_id, participant_id, vote, phase)
     SELECT $1, s.id, p.id, (ARRAY['agree', 'disagree', 'pass'])[1 + ((hashtext(p.pseudonym) # hashtext(s.text)) & 1) + CASE WHEN random() < 0.2 THEN 1 ELSE 0 END], 'deliberate'
       FROM participants p CROSS JOIN statements s WHERE p.evaluation_id = $1 AND s.evaluation_id = $1 AND random() < 0.3`,
    [evaluationId],
  );
  const votes = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM statement_votes WHERE evaluation_id = $1", [evaluationId])).rows[0]?.n ?? 0;
  out(`seeded ${STATEMENTS} statements and ${votes.toLocaleString("en")} votes in ${secs(performance.now() - o0)}`);
  const opinion = `/api/evaluations/${SLUG}/opinion`;
  out(`GET /opinion cold ${secs(await timed(opinion))}, warm ${secs(await timed(opinion))}, warm ${secs(await timed(opinion))}`);
  await pool.query(`INSERT INTO statement_votes (evaluation_id, statement_id, participant_id, vote, phase) SELECT $1, s.id, p.id, 'agree', 'deliberate' FROM participants p, statements s WHERE p.evaluation_id = $1 AND s.evaluation_id = $1 AND p.pseudonym = 'p-1' AND NOT EXISTS (SELECT 1 FROM statement_votes v WHERE v.statement_id = s.id AND v.participant_id = p.id AND v.is_current) LIMIT 1`, [evaluationId]);
  out(`GET /opinion after one new vote (recomputed) ${secs(await timed(opinion))}, then warm ${secs(await timed(opinion))}`);
  out(`load average at the end (1 / 5 / 15 min): ${os.loadavg().map((x) => x.toFixed(1)).join(" / ")}`);
  await app.close();
} catch (error) {
  if (!(error instanceof UploadOnlyDone)) throw error;
} finally {
  await close();
}
