/**
 * An organiser's file of answers through POST /api/evaluations/:id/imports, as the manage page sends it:
 * first the dry run (its preview: which items are filled, by title, which subjects are new), then the
 * import itself. The items exist already (written through the form, matched by title), so every row goes
 * through core itemMatcher. Run: node --import tsx bench/answers-upload.bench.ts [items=1000] [subjects=50]
 */
import os from "node:os";
import { buildServer } from "../src/app.ts";
import { migrate } from "../src/platform/db/migrate.ts";
import { createAuth } from "../src/platform/http/auth.ts";
import { benchDatabase } from "./bench-database.ts";

const ITEMS = Number(process.argv[2] ?? 1000);
const SUBJECTS = Number(process.argv[3] ?? 50);
const SLUG = "answers";
const out = (line: string) => process.stdout.write(`${line}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const { pool, close } = await benchDatabase();
try {
  await migrate(pool);
  const { rows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  out(`machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}, PostgreSQL ${rows[0]?.v} (embedded)`);
  out(`load average at start (1 / 5 / 15 min): ${os.loadavg().map((x) => x.toFixed(1)).join(" / ")}`);
  const auth = createAuth(pool, { secret: "bench-secret-".padEnd(48, "x"), baseURL: "http://127.0.0.1", trustedOrigins: ["http://127.0.0.1:*"], attemptsPerMinute: false });
  const app = await buildServer({ services: { pool }, auth, rateLimit: 1_000_000_000 });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  let cookie = "";
  async function call(method: string, pathName: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(origin + pathName, { method, headers: { origin, ...(cookie ? { cookie } : {}), "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
    const set = res.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
    if (set.length) cookie = set.join("; ");
    const text = await res.text();
    return { status: res.status, json: text.startsWith("{") ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }
  await call("POST", "/api/auth/sign-up/email", { email: "organiser@bench.invalid", password: "correct horse battery", name: "Organiser" });
  await call("POST", "/api/evaluations", { slug: SLUG, title: "Answers", charter: { purpose: "answers bench", sponsor: "bench" } });
  const evaluation = (await pool.query<{ id: string }>("SELECT id FROM evaluations WHERE slug = $1", [SLUG])).rows[0]?.id;
  await pool.query("INSERT INTO items (evaluation_id, title, prompt) SELECT $1, 'Question ' || n, 'What about ' || n || '?' FROM generate_series(1, $2) n", [evaluation, ITEMS]);

  const rowsOut = ["question,model,answer"];
  for (let i = 1; i <= ITEMS; i++) for (let s = 1; s <= SUBJECTS; s++) rowsOut.push(`Question ${i},model-${s},"Answer ${s} to question ${i}: ${"a considered reply, ".repeat(8)}done."`);
  const content = rowsOut.join("\n") + "\n";
  const body = { format: "outputs-csv", content, fileName: "answers.csv", columns: { item: "question", subject: "model", response: "answer" } };
  out(`file: ${(ITEMS * SUBJECTS).toLocaleString("en")} rows, ${(content.length / 2 ** 20).toFixed(1)} MiB CSV, ${ITEMS.toLocaleString("en")} items matched by title`);

  const t0 = performance.now();
  const dry = await call("POST", `/api/evaluations/${SLUG}/imports`, { ...body, dryRun: true });
  const dryMs = performance.now() - t0;
  const preview = dry.json.preview as { items: { match: string }[]; responses: { added: number } } | undefined;
  if (dry.status !== 200 || !preview) throw new Error(`dry run: ${dry.status} ${JSON.stringify(dry.json).slice(0, 300)}`);
  out(`dry run (preview, rolled back): ${secs(dryMs)}; items in the preview ${preview.items.length} (all matched by title: ${preview.items.every((i) => i.match === "title")}), answers it would add ${preview.responses.added.toLocaleString("en")}`);
  const t1 = performance.now();
  const done = await call("POST", `/api/evaluations/${SLUG}/imports`, body);
  const doneMs = performance.now() - t1;
  if (done.status !== 201) throw new Error(`import: ${done.status}`);
  const counts = (await pool.query<{ items: number; responses: number }>("SELECT (SELECT count(*) FROM items)::int AS items, (SELECT count(*) FROM responses)::int AS responses")).rows[0];
  out(`import: ${secs(doneMs)}; items afterwards ${counts?.items.toLocaleString("en")} (no duplicates), responses ${counts?.responses.toLocaleString("en")}`);
  out(`load average at end (1 / 5 / 15 min): ${os.loadavg().map((x) => x.toFixed(1)).join(" / ")}`);
  await app.close();
} finally {
  await close();
}
