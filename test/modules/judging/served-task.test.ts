/**
 * A vote on a task this server served is checked on the context it read when serving, and written in one statement
 * only if that context still holds in PostgreSQL (src/modules/judging/served-tasks.ts). Each case changes the
 * database between the task and the vote, as another instance or an operator would, behind this process's back:
 * the vote must come out as it would on a fresh read.
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

interface Vote {
  code?: string;
  judgment?: { consentScopes: string[] };
  revealed?: { subject: { id: string; name: string } }[];
}

async function servedThenChanged(change: (slug: string, token: string) => Promise<unknown>) {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const served = await participant.post<{ token: string }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
  assert.equal(served.status, 201, JSON.stringify(served.body));
  const token = served.body.token;
  await change(scenario.slug, token);
  const vote = await participant.post<Vote>(url(scenario.slug, `/assignments/${token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } });
  const { rows } = await server.pool.query<{ consent_scopes: string[]; excluded_reason: string | null }>("SELECT consent_scopes, excluded_reason FROM judgments WHERE assignment_token = $1", [token]);
  return { vote, stored: rows };
}

const participantOf = "(SELECT participant_id FROM assignments WHERE token = $1)";

test("consent withdrawn after the task was served: the vote is refused and nothing is written", async () => {
  const { vote, stored } = await servedThenChanged((_slug, token) => server.pool.query(`UPDATE consents SET scopes = '{}' WHERE participant_id = ${participantOf}`, [token]));
  assert.deepEqual([vote.status, vote.body.code], [403, "consent_required"]);
  assert.equal(stored.length, 0);
});

test("consent changed after the task was served: the vote is stored with the consent in force when it was cast", async () => {
  const { vote, stored } = await servedThenChanged((_slug, token) => server.pool.query(`UPDATE consents SET scopes = '{aggregate,research}' WHERE participant_id = ${participantOf}`, [token]));
  assert.equal(vote.status, 201, JSON.stringify(vote.body));
  assert.deepEqual(vote.body.judgment?.consentScopes, ["aggregate", "research"]);
  assert.deepEqual(stored.map((r) => r.consent_scopes), [["aggregate", "research"]]);
});

test("the evaluation closed after the task was served: the vote is refused and nothing is written", async () => {
  const { vote, stored } = await servedThenChanged((slug) => server.pool.query("UPDATE evaluations SET status = 'closed' WHERE slug = $1", [slug]));
  assert.deepEqual([vote.status, vote.body.code], [409, "evaluation_not_open"]);
  assert.equal(stored.length, 0);
});

test("a subject renamed after the task was served is revealed under its new name", async () => {
  const { vote } = await servedThenChanged((_slug, token) =>
    server.pool.query(
      "UPDATE subjects SET name = name || ' (renamed)' WHERE id IN (SELECT subject_id FROM responses WHERE id = ANY((SELECT response_ids FROM assignments WHERE token = $1)::uuid[]))",
      [token],
    ),
  );
  assert.equal(vote.status, 201, JSON.stringify(vote.body));
  assert.deepEqual(
    vote.body.revealed?.map((r) => r.subject.name.endsWith(" (renamed)")),
    [true, true],
  );
});

test("a served response found to name its subject after the task was served: the vote is kept but set aside", async () => {
  const { vote, stored } = await servedThenChanged((_slug, token) =>
    server.pool.query("UPDATE responses SET identity_leak = '{Alpha}' WHERE id = (SELECT response_ids[1] FROM assignments WHERE token = $1)", [token]),
  );
  assert.equal(vote.status, 201, JSON.stringify(vote.body));
  assert.deepEqual(stored.map((r) => r.excluded_reason), ["identity_leak"]);
});

test("nothing changed: the vote is stored with the consent it was served under", async () => {
  const { vote, stored } = await servedThenChanged(async () => undefined);
  assert.equal(vote.status, 201, JSON.stringify(vote.body));
  assert.deepEqual(stored.map((r) => [r.consent_scopes, r.excluded_reason]), [[["aggregate"], null]]);
});

/** A participant who has been served and has judged one task (so this server remembers their context), then the change. */
async function judgedOnceThenChanged(change: (slug: string, participantId: string) => Promise<unknown>) {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const served = await participant.post<{ token: string }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
  assert.equal(served.status, 201, JSON.stringify(served.body));
  const voted = await participant.post(url(scenario.slug, `/assignments/${served.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "b" } });
  assert.equal(voted.status, 201, JSON.stringify(voted.body));
  const { rows } = await server.pool.query<{ participant_id: string }>("SELECT participant_id FROM assignments WHERE token = $1", [served.body.token]);
  await change(scenario.slug, rows[0]?.participant_id ?? "");
  const countTasks = async () =>
    (await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM assignments WHERE participant_id = $1", [rows[0]?.participant_id])).rows[0]?.n;
  return { scenario, participant, countTasks };
}

for (const change of [
  { name: "consent withdrawn", sql: "UPDATE consents SET scopes = '{}' WHERE participant_id = $2 AND $1::text IS NOT NULL", refusal: [403, "consent_required"] },
  { name: "the evaluation closed", sql: "UPDATE evaluations SET status = 'closed' WHERE slug = $1 AND $2::uuid IS NOT NULL", refusal: [409, "evaluation_not_open"] },
  { name: "judging paused for deliberation", sql: "UPDATE evaluations SET phase = 'deliberate' WHERE slug = $1 AND $2::uuid IS NOT NULL", refusal: [409, "wrong_phase"] },
]) {
  test(`${change.name} after the previous task: the next assignment is refused and nothing is written`, async () => {
    const { scenario, participant, countTasks } = await judgedOnceThenChanged((slug, participantId) => server.pool.query(change.sql, [slug, participantId]));
    const before = await countTasks();
    const next = await participant.post(url(scenario.slug, "/assignments"), { mode: "pairwise" });
    assert.deepEqual([next.status, next.body.code], change.refusal);
    assert.equal(await countTasks(), before);
  });
}

test("a subject's responses removed after the previous task are never served", async () => {
  let removed: string[] = [];
  const { scenario, participant } = await judgedOnceThenChanged(async (slug) => {
    const { rows } = await server.pool.query<{ text: string }>(
      `DELETE FROM responses WHERE subject_id = (SELECT s.id FROM subjects s JOIN evaluations e ON e.id = s.evaluation_id WHERE e.slug = $1 ORDER BY s.name LIMIT 1) RETURNING text`,
      [slug],
    );
    removed = rows.map((r) => r.text);
  });
  assert.equal(removed.length, 2);
  for (let served = 0; ; served++) {
    const next = await participant.post<{ token: string; responses: { text: string }[] }>(url(scenario.slug, "/assignments"), { mode: "pairwise" });
    if (next.status === 404) break;
    assert.equal(next.status, 201, JSON.stringify(next.body));
    assert.equal(next.body.responses.length, 2);
    assert.ok(next.body.responses.every((r) => !removed.includes(r.text)), "a removed response was served");
    const voted = await participant.post(url(scenario.slug, `/assignments/${next.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } });
    assert.equal(voted.status, 201, JSON.stringify(voted.body));
    assert.ok(served < 6, "the draw ends");
  }
});
