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
