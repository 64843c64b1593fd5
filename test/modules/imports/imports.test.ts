import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { fixturePath } from "../../analytics/fixtures.ts";
import { Client, rowCounts, signUp, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let organiser: Client;
before(async () => {
  server = await startTestServer();
  organiser = await signUp(server.baseUrl);
});
after(async () => server.close());

async function evaluation(slug: string): Promise<void> {
  const res = await organiser.post("/api/evaluations", { slug, title: slug, charter: { purpose: "imports", sponsor: "tests" } });
  assert.equal(res.status, 201);
}

test("OpenAssistant's 100 trees come in with their ranked reply groups as ranking judgments", async () => {
  await evaluation("oasst");
  const content = gunzipSync(readFileSync(fixturePath("openassistant/en_100_message.jsonl.gz"))).toString("utf8");
  const res = await organiser.post<{ items: number; responses: number; judgments: number; participants: number }>("/api/evaluations/oasst/imports", { format: "oasst", content });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.items, 212, "one item per ranked sibling group");
  assert.equal(res.body.judgments, 212);
  assert.equal(res.body.participants, 1, "the published rankings are attributed to one pseudonymous source");
  const trees = await server.pool.query<{ n: number }>("SELECT count(DISTINCT scenario ->> 'tree')::int AS n FROM items WHERE evaluation_id = (SELECT id FROM evaluations WHERE slug = 'oasst')");
  assert.equal(trees.rows[0]?.n, 100);
  const rankings = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM judgments WHERE kind = 'ranking' AND jsonb_array_length(body -> 'order') >= 1");
  assert.equal(rankings.rows[0]?.n, 212);
  // The first tree's top-ranked reply (rank 0) is first in its stored ranking.
  const first = JSON.parse(content.split("\n")[0] ?? "{}") as { message_id: string; replies: { message_id: string; rank: number | null; text: string }[] };
  const best = first.replies.find((r) => r.rank === 0);
  const stored = await server.pool.query<{ text: string }>(
    `SELECT r.text FROM judgments j JOIN items i ON i.id = j.item_id JOIN responses r ON r.id = (j.body -> 'order' -> 0 ->> 0)::uuid WHERE i.external_ref = $1`,
    [first.message_id],
  );
  assert.equal(stored.rows[0]?.text, best?.text);
});

test("(item, subject, response) rows as CSV; a bad row is a 400 naming it, and nothing is written", async () => {
  await evaluation("outputs");
  const csv = "item,subject,response\nq1,Model A,Answer one\nq1,Model B,Answer two\nq2,Model A,Answer three\n";
  const res = await organiser.post<{ items: number; subjects: number; responses: number }>("/api/evaluations/outputs/imports", { format: "outputs-csv", content: csv });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.deepEqual([res.body.items, res.body.subjects, res.body.responses], [2, 2, 3]);
  const stranger = await signUp(server.baseUrl);
  const before = await rowCounts(server.pool);
  const bad = await organiser.post("/api/evaluations/outputs/imports", { format: "outputs-csv", content: "item,subject,response\nq3,Model C,fine\nq4,,missing subject\n" });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, "invalid_file");
  assert.match(String(bad.body.detail), /row 3|line 3|subject/i);
  const broken = await organiser.post("/api/evaluations/outputs/imports", { format: "oasst", content: "{not json" });
  assert.equal(broken.status, 400);
  assert.equal((await stranger.post("/api/evaluations/outputs/imports", { format: "outputs-csv", content: csv })).status, 403);
  assert.deepEqual(await rowCounts(server.pool), before);
});

test("a re-upload keeps the responses already stored (and their ids), adds the new ones, and judgments refer to both", async () => {
  await evaluation("reupload");
  // 12,001 rows: more than one 10,000-row chunk of the bulk insert.
  const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => `q${from + k},${(from + k) % 2 ? "Model A" : "Model B"},Answer ${from + k}`);
  const first = await organiser.post<{ responses: number }>("/api/evaluations/reupload/imports", { format: "outputs-csv", content: ["item,subject,response", ...rows(0, 12_001)].join("\n") });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.responses, 12_001);
  const ids = async () =>
    new Map(
      (await server.pool.query<{ ref: string; id: string; text: string }>(
        "SELECT i.external_ref AS ref, r.id, r.text FROM responses r JOIN items i ON i.id = r.item_id WHERE r.evaluation_id = (SELECT id FROM evaluations WHERE slug = 'reupload')",
      )).rows.map((r) => [r.ref, r]),
    );
  const before = await ids();
  // The second upload repeats 10,500 rows (with other texts, which do not replace the stored ones) and adds 1,000.
  const again = rows(1_501, 13_001).map((line) => line.replace("Answer", "Changed"));
  const second = await organiser.post<{ responses: number }>("/api/evaluations/reupload/imports", { format: "outputs-csv", content: ["item,subject,response", ...again].join("\n") });
  assert.equal(second.status, 201, JSON.stringify(second.body));
  assert.equal(second.body.responses, 11_500, "every row of the upload has its response, stored before or now");
  const after = await ids();
  assert.equal(after.size, 13_001);
  for (const ref of ["q0", "q1501", "q9999", "q12000"]) assert.deepEqual(after.get(ref), before.get(ref), ref);
  assert.equal(after.get("q12500")?.text, "Changed 12500");
});

test("a NUL escaped inside an uploaded file is refused as invalid_file naming where it is (not a 500), on a dry run and for real", async () => {
  await evaluation("nul-in-file");
  const before = await rowCounts(server.pool);
  const files = [
    { format: "outputs-jsonl", content: '{"item": "Q1", "subject": "Alpha", "response": "fine \\u0000 then"}', field: /responses\.0\.text/ },
    { format: "outputs-jsonl", content: '{"item": "Q\\u0000", "subject": "Alpha", "response": "fine"}', field: /items\.0\.ref|responses\.0\.itemRef/ },
    {
      format: "fastchat",
      content: '[{"model_a":"a\\u0000","model_b":"b","winner":"model_a","judge":"j","conversation_a":[],"conversation_b":[]}]',
      field: /subjects|pairwise/,
    },
  ];
  for (const file of files) {
    for (const dryRun of [true, false]) {
      const res = await organiser.post<{ code: string; field: string }>("/api/evaluations/nul-in-file/imports", { format: file.format, content: file.content, dryRun });
      assert.equal(res.status, 400, `${file.format} dryRun=${dryRun}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.code, "invalid_file");
      assert.match(res.body.field, file.field);
    }
  }
  assert.deepEqual(await rowCounts(server.pool), before, "nothing of a refused file is kept");
});
