import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let scenario: Scenario;
before(async () => {
  server = await startTestServer();
  scenario = await openEvaluation(server.baseUrl);
});
after(async () => server.close());

interface Entry {
  id: number;
  actor: { userId: string | null; name: string };
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  at: string;
}
interface Log {
  entries: Entry[];
  nextBefore: number | null;
}

test("GET audit-log: the organiser's actions, newest first, with who, what, target and a small detail", async () => {
  const { organiser, slug } = scenario;
  assert.equal((await organiser.put(`/api/evaluations/${slug}/deliberation/settings`, { statementModeration: "permissive" })).status, 200);
  assert.equal((await organiser.post(`/api/evaluations/${slug}/invitations`, { role: "observer" })).status, 201);
  assert.equal((await organiser.patch(`/api/evaluations/${slug}`, { phase: "deliberate" })).status, 200);

  const res = await organiser.get<Log>(`/api/evaluations/${slug}/audit-log`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const actions = res.body.entries.map((e) => e.action);
  // openEvaluation: created, 3 subjects, 2 items × (item + 3 responses), opened, participant invitation; then the three above
  assert.deepEqual(actions.slice(0, 5), ["evaluation.state_changed", "invitation.created", "deliberation.settings_changed", "invitation.created", "evaluation.state_changed"]);
  assert.equal(actions.at(-1), "evaluation.created");
  assert.equal(actions.filter((a) => a === "subject.added").length, 3);
  assert.equal(actions.filter((a) => a === "response.added").length, 6);
  const [phase] = res.body.entries;
  assert.equal(phase?.actor.name, "Organiser");
  assert.ok(phase?.actor.userId);
  assert.equal(phase?.detail.toPhase, "deliberate");
  assert.ok(!JSON.stringify(res.body).includes(scenario.invitation), "invitation tokens never appear in the log");
  const ids = res.body.entries.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), "newest first");
});

test("GET audit-log: paginated with limit and a `before` cursor; limit above 200 is a 400", async () => {
  const { organiser, slug } = scenario;
  const all = (await organiser.get<Log>(`/api/evaluations/${slug}/audit-log?limit=200`)).body.entries;
  const first = await organiser.get<Log>(`/api/evaluations/${slug}/audit-log?limit=4`);
  assert.equal(first.body.entries.length, 4);
  assert.equal(first.body.nextBefore, first.body.entries[3]?.id);
  const second = await organiser.get<Log>(`/api/evaluations/${slug}/audit-log?limit=4&before=${first.body.nextBefore}`);
  assert.deepEqual([...first.body.entries, ...second.body.entries].map((e) => e.id), all.slice(0, 8).map((e) => e.id));
  assert.equal((await organiser.get(`/api/evaluations/${slug}/audit-log?limit=201`)).status, 400);
});

test("GET audit-log: observers may read it; participants get 403, anonymous callers 401", async () => {
  const { organiser, slug } = scenario;
  const inv = await organiser.post<{ invitation: { token: string } }>(`/api/evaluations/${slug}/invitations`, { role: "observer" });
  const observer = new Client(server.baseUrl);
  assert.equal((await observer.post(`/api/invitations/${inv.body.invitation.token}/join`, {})).status, 201);
  assert.equal((await observer.get(`/api/evaluations/${slug}/audit-log`)).status, 200);
  const participant = await joinAs(server.baseUrl, scenario);
  const forbidden = await participant.get(`/api/evaluations/${slug}/audit-log`);
  assert.equal(forbidden.status, 403);
  assert.match(forbidden.contentType, /problem\+json/);
  assert.equal((await new Client(server.baseUrl).get(`/api/evaluations/${slug}/audit-log`)).status, 401);
});

test("moderation is recorded in the same transaction as the action", async () => {
  const { organiser, slug } = scenario;
  const participant = await joinAs(server.baseUrl, scenario);
  const post = await participant.post<{ post: { id: string } }>(`/api/evaluations/${slug}/posts`, { targetKind: "evaluation", text: "An opinion" });
  assert.equal(post.status, 201, JSON.stringify(post.body));
  assert.equal((await organiser.post(`/api/evaluations/${slug}/posts/${post.body.post.id}/moderation`, { action: "hide", reason: "off topic" })).status, 201);
  const [latest] = (await organiser.get<Log>(`/api/evaluations/${slug}/audit-log?limit=1`)).body.entries;
  assert.equal(latest?.action, "post.moderated");
  assert.equal(latest?.target, post.body.post.id);
});
