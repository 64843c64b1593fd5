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

interface Problem {
  code: string;
  field?: string;
  errors?: { field: string; rule: string }[];
}

async function draft(slug: string, charter: Record<string, unknown> = {}) {
  assert.equal((await organiser.post("/api/evaluations", { slug, title: slug, charter: { purpose: "answers", sponsor: "tests", ...charter } })).status, 201);
  const subjects: string[] = [];
  for (const name of ["Alpha", "Beta"]) subjects.push((await organiser.post<{ subject: { id: string } }>(`/api/evaluations/${slug}/subjects`, { name, kind: "model" })).body.subject.id);
  const item = (await organiser.post<{ item: { id: string } }>(`/api/evaluations/${slug}/items`, { title: "Housing", prompt: "How do I apply for housing benefit?" })).body.item.id;
  return { subjects, item };
}

test("opening with nothing to judge is refused, naming the rule; one answer is not enough, two are", async () => {
  const { subjects, item } = await draft("open-rule");
  const refused = await organiser.patch<Problem>("/api/evaluations/open-rule", { status: "open" });
  assert.equal(refused.status, 409);
  assert.match(refused.contentType, /problem\+json/);
  assert.equal(refused.body.code, "nothing_to_judge");
  assert.deepEqual(refused.body.errors?.map((e) => [e.field, e.rule]), [["status", "something_to_judge"]]);
  assert.equal((await organiser.post(`/api/evaluations/open-rule/responses`, { itemId: item, subjectId: subjects[0], text: "Fill in form HB1." })).status, 201);
  assert.equal((await organiser.patch<Problem>("/api/evaluations/open-rule", { status: "open" })).status, 409, "one subject's answer leaves nothing to compare");
  assert.equal((await organiser.post(`/api/evaluations/open-rule/responses`, { itemId: item, subjectId: subjects[1], text: "Apply online." })).status, 201);
  assert.equal((await organiser.patch("/api/evaluations/open-rule", { status: "open" })).status, 200);
});

test("organisers see which subject answered which item; a different second answer is refused, the same one is accepted again", async () => {
  const { subjects, item } = await draft("answered");
  const [alpha] = subjects as [string];
  const long = "x".repeat(300);
  assert.equal((await organiser.post(`/api/evaluations/answered/responses`, { itemId: item, subjectId: alpha, text: long })).status, 201);
  const listed = await organiser.get<{ answers: { itemId: string; subjectId: string; excerpt: string; length: number }[] }>("/api/evaluations/answered/responses");
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.answers.map((a) => [a.itemId, a.subjectId, a.excerpt.length, a.length]), [[item, alpha, 280, 300]]);
  assert.equal((await organiser.post(`/api/evaluations/answered/responses`, { itemId: item, subjectId: alpha, text: long })).status, 201, "sending the same answer again is harmless");
  const before = await rowCounts(server.pool);
  const changed = await organiser.post<Problem>(`/api/evaluations/answered/responses`, { itemId: item, subjectId: alpha, text: "A new answer" });
  assert.equal(changed.status, 409);
  assert.equal(changed.body.code, "conflict");
  assert.equal(changed.body.field, "text");
  assert.deepEqual(await rowCounts(server.pool), before);
  const stored = await server.pool.query<{ text: string }>("SELECT text FROM responses WHERE subject_id = $1", [alpha]);
  assert.equal(stored.rows[0]?.text, long, "the first answer is kept");
  const stranger = await signUp(server.baseUrl);
  assert.equal((await stranger.get("/api/evaluations/answered/responses")).status, 403);
});

test("the list says the caller's role and how to join", async () => {
  await draft("open-list", { openParticipation: true });
  type Listed = { slug: string; myRole: string | null; participation: string };
  const mine = (await organiser.get<{ evaluations: Listed[] }>("/api/evaluations")).body.evaluations.find((e) => e.slug === "open-list");
  assert.deepEqual([mine?.myRole, mine?.participation], ["organiser", "open"]);
  const other = (await organiser.get<{ evaluations: Listed[] }>("/api/evaluations")).body.evaluations.find((e) => e.slug === "answered");
  assert.equal(other?.participation, "invitation");
  const anonymous = new Client(server.baseUrl);
  const seen = (await anonymous.get<{ evaluations: Listed[] }>("/api/evaluations")).body.evaluations.map((e) => [e.slug, e.myRole]);
  assert.deepEqual(seen, [["open-rule", null]], "a visitor sees only open evaluations, as nobody's");
});
