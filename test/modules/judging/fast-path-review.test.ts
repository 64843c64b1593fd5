/**
 * Review of the judging fast path (served-tasks.ts): two changes the cached values outlive.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation } from "../../support/scenario.ts";
import { startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

const url = (slug: string, path: string) => `/api/evaluations/${slug}${path}`;

test("an item whose participant author revoked consent is never served again (mayUse: the pool depends on the author's consent)", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const author = await joinAs(server.baseUrl, scenario);
  const authorTask = await author.post<{ token: string }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
  assert.equal(authorTask.status, 201);
  const { rows } = await server.pool.query<{ participant_id: string }>("SELECT participant_id FROM assignments WHERE token = $1", [authorTask.body.token]);
  const authorId = rows[0]?.participant_id;
  const authored = scenario.items[0]?.id;
  await server.pool.query("UPDATE items SET author_participant_id = $1 WHERE id = $2", [authorId, authored]);
  const judge = await joinAs(server.baseUrl, scenario);
  const first = await judge.post<{ token: string }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
  assert.equal(first.status, 201);
  assert.equal((await judge.post(url(scenario.slug, `/assignments/${first.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } })).status, 201);
  // the author withdraws all consent: their item may no longer be used (src/core/consent.ts, mayUse)
  const revoked = await author.post(url(scenario.slug, "/consent/revoke"), {});
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
  assert.deepEqual((await server.pool.query("SELECT scopes FROM consents WHERE participant_id = $1", [authorId])).rows, [{ scopes: [] }]);
  const servedItems: string[] = [];
  for (let n = 0; n < 8; n++) {
    const next = await judge.post<{ token: string; item: { id: string } }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
    if (next.status === 404) break;
    assert.equal(next.status, 201, JSON.stringify(next.body));
    servedItems.push(next.body.item.id);
    assert.equal((await judge.post(url(scenario.slug, `/assignments/${next.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } })).status, 201);
  }
  assert.ok(!servedItems.includes(authored ?? ""), `the withdrawn author's item was served ${servedItems.filter((i) => i === authored).length} time(s) after the revocation`);
});

test("one pool change costs one reload of the pool, not two per participant whose context is remembered", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participants = [];
  for (let k = 0; k < 6; k++) {
    const p = await joinAs(server.baseUrl, scenario);
    const task = await p.post<{ token: string }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
    assert.equal(task.status, 201);
    assert.equal((await p.post(url(scenario.slug, `/assignments/${task.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } })).status, 201);
    participants.push(p);
  }
  await server.pool.query("UPDATE subjects SET organisation = organisation || '.' WHERE evaluation_id = (SELECT id FROM evaluations WHERE slug = $1)", [scenario.slug]);
  let loads = 0;
  const pool = server.pool as unknown as { query: (...args: unknown[]) => unknown };
  const original = pool.query.bind(pool);
  pool.query = (...args: unknown[]) => {
    const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string }).text ?? "";
    if (text.includes("i.moderation = 'accepted' AND s.available")) loads++;
    return original(...args);
  };
  try {
    for (const p of participants) assert.equal((await p.post(url(scenario.slug, "/assignments"), { mode: "pairwise" })).status, 201);
  } finally {
    pool.query = original;
  }
  assert.ok(loads <= 2, `${loads} full pool reloads for one pool change and ${participants.length} participants`);
});

test("a participant record no longer the caller's (moved by account linking, or its account erased): the vote is refused as on a fresh read", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const served = await participant.post<{ token: string }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
  assert.equal(served.status, 201);
  await server.pool.query("UPDATE participants SET user_id = NULL WHERE id = (SELECT participant_id FROM assignments WHERE token = $1)", [served.body.token]);
  const vote = await participant.post(url(scenario.slug, `/assignments/${served.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } });
  assert.equal(vote.status, 403, `the vote was recorded for a participant record the caller no longer holds: ${JSON.stringify(vote.body)}`);
});

test("a participant record no longer the caller's after their previous task: the next assignment is refused and nothing is written", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const served = await participant.post<{ token: string }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
  assert.equal((await participant.post(url(scenario.slug, `/assignments/${served.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } })).status, 201);
  const { rows } = await server.pool.query<{ participant_id: string }>("SELECT participant_id FROM assignments WHERE token = $1", [served.body.token]);
  await server.pool.query("UPDATE participants SET user_id = NULL WHERE id = $1", [rows[0]?.participant_id]);
  const next = await participant.post(url(scenario.slug, "/assignments"), { mode: "pairwise" });
  assert.deepEqual([next.status, next.body.code], [403, "forbidden"]);
  const { rows: tasks } = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM assignments WHERE participant_id = $1", [rows[0]?.participant_id]);
  assert.equal(tasks[0]?.n, 1);
});
