import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, rowCounts, signUp, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let organiser: Client;
before(async () => {
  server = await startTestServer();
  organiser = await signUp(server.baseUrl);
});
after(async () => server.close());

interface Preview {
  items: { ref: string; match: string; itemId: string | null; title: string }[];
  subjects: { name: string; exists: boolean }[];
  responses: { added: number; alreadyAnswered: number };
}

async function setUp(slug: string): Promise<{ housing: string; council: string }> {
  assert.equal((await organiser.post("/api/evaluations", { slug, title: slug, charter: { purpose: "imports", sponsor: "tests" } })).status, 201);
  const alpha = (await organiser.post<{ subject: { id: string } }>(`/api/evaluations/${slug}/subjects`, { name: "Alpha", kind: "model" })).body.subject.id;
  const housing = (await organiser.post<{ item: { id: string } }>(`/api/evaluations/${slug}/items`, { title: "Housing benefit", prompt: "How do I apply for housing benefit?" })).body.item.id;
  const council = (await organiser.post<{ item: { id: string } }>(`/api/evaluations/${slug}/items`, { prompt: "Am I eligible for a council tax reduction?", externalRef: "ct-7" })).body.item.id;
  assert.equal((await organiser.post(`/api/evaluations/${slug}/responses`, { itemId: housing, subjectId: alpha, text: "Form HB1." })).status, 201);
  return { housing, council };
}

const csv = (rows: string[][]) => ["question,model,answer", ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(","))].join("\n") + "\n";

test("a file's item values fill the items the organiser wrote (by title or external id), after a preview that changes nothing", async () => {
  const { housing, council } = await setUp("match");
  const content = csv([
    ["Housing benefit", "Alpha", "A different answer, ignored"],
    ["Housing benefit", "Beta", "Apply online."],
    ["ct-7", "Alpha", "Yes, if you live alone."],
    ["Rent arrears", "Beta", "Talk to the council early."],
  ]);
  const columns = { item: "question", subject: "model", response: "answer" };
  const before = await rowCounts(server.pool);
  const dry = await organiser.post<{ responses: number; preview: Preview }>("/api/evaluations/match/imports", { format: "outputs-csv", content, dryRun: true, columns });
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.deepEqual(await rowCounts(server.pool), before, "a dry run changes nothing");
  assert.deepEqual(
    dry.body.preview.items.map((i) => [i.ref, i.match, i.match === "new" ? null : i.itemId]),
    [["Housing benefit", "title", housing], ["ct-7", "external_ref", council], ["Rent arrears", "new", null]],
  );
  assert.deepEqual(dry.body.preview.subjects, [{ name: "Alpha", exists: true }, { name: "Beta", exists: false }]);
  assert.deepEqual(dry.body.preview.responses, { added: 3, alreadyAnswered: 1 });

  const done = await organiser.post<{ items: number; preview: Preview }>("/api/evaluations/match/imports", { format: "outputs-csv", content, columns });
  assert.equal(done.status, 201, JSON.stringify(done.body));
  const items = await server.pool.query<{ title: string; external_ref: string | null }>("SELECT title, external_ref FROM items WHERE evaluation_id = (SELECT id FROM evaluations WHERE slug = 'match') ORDER BY created_at");
  assert.deepEqual(items.rows.map((r) => r.external_ref ?? r.title), ["Housing benefit", "ct-7", "Rent arrears"], "no second Housing benefit");
  const kept = await server.pool.query<{ text: string }>("SELECT r.text FROM responses r JOIN subjects s ON s.id = r.subject_id WHERE r.item_id = $1 AND s.name = 'Alpha'", [housing]);
  assert.equal(kept.rows[0]?.text, "Form HB1.", "an existing answer is kept");
  const audit = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'import.judgments'");
  assert.equal(audit.rows[0]?.n, 1, "only the real import is audited");
});

test("a title two items share is refused, naming the rule; unmapped columns are named by row", async () => {
  await setUp("ambiguous");
  await organiser.post("/api/evaluations/ambiguous/items", { title: "Housing benefit", prompt: "A second item under the same title" });
  const before = await rowCounts(server.pool);
  const refused = await organiser.post<{ code: string; field: string; errors?: { rule: string }[] }>("/api/evaluations/ambiguous/imports", {
    format: "outputs-csv",
    content: csv([["Housing benefit", "Alpha", "x"]]),
    columns: { item: "question", subject: "model", response: "answer" },
  });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.code, "conflict");
  assert.equal(refused.body.errors?.[0]?.rule, "item_reference");
  assert.deepEqual(await rowCounts(server.pool), before);
  const unmapped = await organiser.post<{ code: string; detail: string }>("/api/evaluations/ambiguous/imports", { format: "outputs-csv", content: csv([["x", "Alpha", "y"]]), dryRun: true });
  assert.equal(unmapped.status, 400);
  assert.match(unmapped.body.detail, /row 2, field "item": is missing/);
});

test("an upload that names an item by its external id fills it and leaves its prompt as the organiser wrote it", async () => {
  const { council } = await setUp("keep-prompt");
  const columns = { item: "question", subject: "model", response: "answer" };
  const done = await organiser.post("/api/evaluations/keep-prompt/imports", { format: "outputs-csv", content: csv([["ct-7", "Alpha", "Yes, if you live alone."]]), columns });
  assert.equal(done.status, 201, JSON.stringify(done.body));
  const withPrompt = "question,model,answer,prompt\nct-7,Beta,No.,Something else entirely\n";
  assert.equal((await organiser.post("/api/evaluations/keep-prompt/imports", { format: "outputs-csv", content: withPrompt, columns })).status, 201);
  const item = await server.pool.query<{ prompt: string }>("SELECT prompt FROM items WHERE id = $1", [council]);
  assert.equal(item.rows[0]?.prompt, "Am I eligible for a council tax reduction?", "judgments rest on the prompt people read: an upload never rewrites it");
});
