import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openEvaluation } from "../../support/scenario.ts";
import { Client, rowCounts, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

interface Problem {
  code: string;
  field?: string;
  errors?: { rule: string }[];
}

test("where the charter allows open participation, anyone joins without a link, with open-link assurance", async () => {
  const scenario = await openEvaluation(server.baseUrl, { openParticipation: true });
  const visitor = new Client(server.baseUrl);
  const joined = await visitor.post<{ role: string; participant: { assurance: string } }>(`/api/evaluations/${scenario.slug}/join`, {});
  assert.equal(joined.status, 201, JSON.stringify(joined.body));
  assert.deepEqual([joined.body.role, joined.body.participant.assurance], ["participant", "open_link"]);
  const again = await visitor.post<{ participant: { id: string } }>(`/api/evaluations/${scenario.slug}/join`, {});
  assert.equal(again.status, 201);
  const count = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM participants p JOIN evaluations e ON e.id = p.evaluation_id WHERE e.slug = $1", [scenario.slug]);
  assert.equal(count.rows[0]?.n, 1, "joining twice is one membership");
  const organiserJoins = await scenario.organiser.post<{ role: string }>(`/api/evaluations/${scenario.slug}/join`, {});
  assert.equal(organiserJoins.body.role, "organiser");
});

test("otherwise joining without an invitation is refused before any account is made, naming the rule", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const before = await rowCounts(server.pool);
  const refused = await new Client(server.baseUrl).post<Problem>(`/api/evaluations/${scenario.slug}/join`, {});
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, "forbidden");
  assert.equal(refused.body.errors?.[0]?.rule, "invitation_required");
  assert.deepEqual(await rowCounts(server.pool), before, "no anonymous account for a refused join");
});

test("an invitation is checked before its pitch: what it opens, or 410 naming why not", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const visitor = new Client(server.baseUrl);
  const good = await visitor.get<{ evaluation: { slug: string; title: string }; role: string }>(`/api/invitations/${scenario.invitation}`);
  assert.equal(good.status, 200);
  assert.deepEqual([good.body.evaluation.slug, good.body.role], [scenario.slug, "participant"]);
  const unknown = await visitor.get<Problem>("/api/invitations/not-a-token");
  assert.equal(unknown.status, 410);
  assert.equal(unknown.body.code, "invitation_invalid");
  await scenario.organiser.post(`/api/evaluations/${scenario.slug}/invitations/${scenario.invitation}/revoke`);
  const revoked = await visitor.get<{ detail: string }>(`/api/invitations/${scenario.invitation}`);
  assert.equal(revoked.status, 410);
  assert.match(revoked.body.detail, /revoked/);
});

test("concurrent open joins of one account make one membership and each answers with it", async () => {
  const scenario = await openEvaluation(server.baseUrl, { openParticipation: true });
  const visitor = new Client(server.baseUrl);
  const first = await visitor.post<{ participant: { id: string } }>(`/api/evaluations/${scenario.slug}/join`, {});
  assert.equal(first.status, 201);
  // a second evaluation, joined from the same account by several requests at once (two tabs, a retry)
  const other = await openEvaluation(server.baseUrl, { openParticipation: true });
  const joins = await Promise.all(Array.from({ length: 6 }, () => visitor.post<{ participant: { id: string } | null; code?: string }>(`/api/evaluations/${other.slug}/join`, {})));
  assert.deepEqual(joins.map((r) => r.status), [201, 201, 201, 201, 201, 201], JSON.stringify(joins.map((r) => r.body.code)));
  assert.equal(new Set(joins.map((r) => r.body.participant?.id)).size, 1, "every request answers with the one membership");
  const count = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM participants p JOIN evaluations e ON e.id = p.evaluation_id WHERE e.slug = $1", [other.slug]);
  assert.equal(count.rows[0]?.n, 1);
});

test("open participation admits only while the evaluation is open, with the one status rule's refusal", async () => {
  const scenario = await openEvaluation(server.baseUrl, { openParticipation: true });
  assert.equal((await scenario.organiser.patch(`/api/evaluations/${scenario.slug}`, { status: "closed" })).status, 200);
  const refused = await new Client(server.baseUrl).post<Problem>(`/api/evaluations/${scenario.slug}/join`, {});
  assert.equal(refused.status, 409);
  assert.deepEqual([refused.body.code, refused.body.field], ["evaluation_not_open", "evaluation"]);
});
