import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ensureDemo } from "../../src/modules/demo/service.ts";
import { joinAs, openEvaluation } from "../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

test("GET /api/evaluations lists the demo with its counts", async () => {
  await ensureDemo({ pool: server.pool });
  const res = await new Client(server.baseUrl).get<{ evaluations: { slug: string; status: string; counts: Record<string, number> }[] }>("/api/evaluations");
  assert.equal(res.status, 200);
  const demo = res.body.evaluations.find((e) => e.slug === "llmfao");
  assert.equal(demo?.status, "open");
  assert.deepEqual(demo?.counts, { items: 19, subjects: 70, responses: 1133, judgments: 8931, participants: 124 });
});

test("the OpenAPI document describes the routes, and /healthz answers", async () => {
  const client = new Client(server.baseUrl);
  const doc = await client.get<{ openapi: string; paths: Record<string, unknown> }>("/api/openapi.json");
  assert.equal(doc.status, 200);
  assert.match(doc.body.openapi, /^3\./);
  for (const path of ["/api/evaluations", "/api/evaluations/{id}/assignments", "/api/evaluations/{id}/consent", "/api/evaluations/{id}/exports"]) {
    assert.ok(path in doc.body.paths, `${path} is documented`);
  }
  assert.deepEqual((await client.get("/healthz")).body, { ok: true });
});

test("a draft evaluation is visible only to its organisers", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const draft = await scenario.organiser.post<{ evaluation: { slug: string } }>("/api/evaluations", {
    slug: `draft-${Date.now()}`,
    title: "Draft",
    charter: { purpose: "p", sponsor: "s" },
  });
  assert.equal(draft.status, 201);
  const slug = draft.body.evaluation.slug;
  const stranger = new Client(server.baseUrl);
  assert.equal((await stranger.get(`/api/evaluations/${slug}`)).status, 404);
  const list = await stranger.get<{ evaluations: { slug: string }[] }>("/api/evaluations");
  assert.ok(!list.body.evaluations.some((e) => e.slug === slug));
  assert.equal((await scenario.organiser.get(`/api/evaluations/${slug}`)).status, 200);
});

test("the export path includes only contributions whose consent covers the scope", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const researchers = await joinAs(server.baseUrl, scenario, ["aggregate", "research"]);
  const aggregateOnly = await joinAs(server.baseUrl, scenario, ["aggregate"]);
  for (const client of [researchers, aggregateOnly]) {
    const view = await client.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
    const judged = await client.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "pairwise", outcome: "a" } });
    assert.equal(judged.status, 201);
  }
  const exported = await scenario.organiser.post<{ record: { includedCount: number; excluded: Record<string, number> }; files: { content: string }[] }>(
    `/api/evaluations/${scenario.slug}/exports`,
    { scope: "research", recipient: "University lab", purpose: "study of disagreement" },
  );
  assert.equal(exported.status, 201, JSON.stringify(exported.body));
  assert.equal(exported.body.record.includedCount, 1);
  assert.deepEqual(exported.body.record.excluded, { consent_lacks_scope: 1 });
  const lines = (exported.body.files[0]?.content ?? "").trim().split("\n").map((l) => JSON.parse(l) as { participant: string; kind: string });
  assert.equal(lines.length, 1);
  const { rows } = await server.pool.query<{ id: string; user_id: string }>("SELECT id, user_id FROM participants");
  for (const row of rows) {
    assert.ok(!exported.body.files[0]?.content.includes(row.id), "no participant id in the export");
    assert.ok(!exported.body.files[0]?.content.includes(row.user_id ?? "—"), "no account id in the export");
  }
  const audit = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM exports WHERE recipient = 'University lab'");
  assert.equal(audit.rows[0]?.n, 1);
});

test("progress is for organisers and observers: an observer joins by invitation and can watch but not organise", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const view = await participant.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
  await participant.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "pairwise", outcome: "tie" } });
  await participant.post(`/api/evaluations/${scenario.slug}/items/${scenario.items[1]?.id}/judgments`, { judgment: { kind: "abstention", reason: "not my field" } });

  const invitation = await scenario.organiser.post<{ invitation: { token: string } }>(`/api/evaluations/${scenario.slug}/invitations`, { role: "observer" });
  const observer = new Client(server.baseUrl);
  const joined = await observer.post(`/api/invitations/${invitation.body.invitation.token}/join`, {});
  assert.equal(joined.body.role, "observer");
  const progress = await observer.get<{ counts: Record<string, number>; pairCoverage: { possiblePairs: number; comparedPairs: number } }>(`/api/evaluations/${scenario.slug}/progress`);
  assert.equal(progress.status, 200);
  assert.equal(progress.body.counts.participants, 1);
  assert.equal(progress.body.counts.pairwise, 1);
  assert.equal(progress.body.counts.abstentions, 1);
  assert.deepEqual([progress.body.pairCoverage.possiblePairs, progress.body.pairCoverage.comparedPairs], [3, 1]);
  assert.equal((await observer.post(`/api/evaluations/${scenario.slug}/items`, { prompt: "x" })).status, 403);
  assert.equal((await participant.get(`/api/evaluations/${scenario.slug}/progress`)).status, 403);
  assert.equal((await new Client(server.baseUrl).get(`/api/evaluations/${scenario.slug}/progress`)).status, 401);
});

test("the evaluation list counts what the results count: a participant who revoked `aggregate` and their judgments leave its counts", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const people = [await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario)];
  for (const person of people) {
    const task = await person.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
    assert.equal(task.status, 201, JSON.stringify(task.body));
    assert.equal((await person.post(`/api/evaluations/${scenario.slug}/assignments/${task.body.token}/judgment`, { judgment: { kind: "pairwise", outcome: "a" } })).status, 201);
  }
  const counts = async () => (await new Client(server.baseUrl).get<{ evaluations: { slug: string; counts: Record<string, number> }[] }>("/api/evaluations")).body.evaluations.find((e) => e.slug === scenario.slug)?.counts;
  assert.equal((await counts())?.participants, 2);
  assert.equal((await counts())?.judgments, 2);
  assert.equal((await people[0]?.post(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["aggregate"] }))?.status, 200);
  assert.equal((await counts())?.participants, 1);
  assert.equal((await counts())?.judgments, 1);
});
