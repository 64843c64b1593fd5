/**
 * Every vote counts once: attacks a participant can make on the judging loop, each refused by a rule the
 * server (and where it matters the database) enforces.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation } from "../../support/scenario.ts";
import { rowCounts, startTestServer, type Client, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

interface Task {
  token: string;
  mode: string;
  item: { id: string };
  responses: { key: string; text: string }[];
}

const url = (slug: string, path: string) => `/api/evaluations/${slug}${path}`;

async function task(client: Client, slug: string, mode: string) {
  return client.post<Task>(url(slug, "/assignments"), { mode });
}

test("a vote cannot be rewritten after the reveal: revisions only in the revise phase, and they never clear an exclusion", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  // a response that names its own model: the vote on it is kept but set aside (identity leak)
  const item = await scenario.organiser.post<{ item: { id: string } }>(url(scenario.slug, "/items"), { prompt: "Who are you?" });
  for (const subject of scenario.subjects) {
    const text = subject.name === "Alpha-1" ? "I am Alpha-1, made by Org A." : `${subject.name}: I am an assistant for the council.`;
    assert.equal((await scenario.organiser.post(url(scenario.slug, "/responses"), { itemId: item.body.item.id, subjectId: subject.id, text })).status, 201);
  }
  const participant = await joinAs(server.baseUrl, scenario);
  let leaked: string | undefined;
  let clean: string | undefined;
  for (let i = 0; i < 9 && !(leaked && clean); i++) {
    const view = await task(participant, scenario.slug, "pairwise");
    assert.equal(view.status, 201, JSON.stringify(view.body));
    const judged = await participant.post<{ judgment: { id: string } }>(url(scenario.slug, `/assignments/${view.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } });
    assert.equal(judged.status, 201);
    const { rows } = await server.pool.query<{ excluded_reason: string | null }>("SELECT excluded_reason FROM judgments WHERE id = $1", [judged.body.judgment.id]);
    if (rows[0]?.excluded_reason === "identity_leak") leaked ??= judged.body.judgment.id;
    else clean ??= judged.body.judgment.id;
  }
  assert.ok(leaked && clean, "both a leaked and a clean battle were judged");

  const before = await rowCounts(server.pool);
  const early = await participant.post(url(scenario.slug, `/judgments/${clean}/revisions`), { judgment: { kind: "pairwise", outcome: "b" } });
  assert.equal(early.status, 409);
  assert.equal(early.body.code, "wrong_phase");
  assert.equal(early.body.field, "phase");
  assert.deepEqual(await rowCounts(server.pool), before, "a refused revision writes nothing");

  assert.equal((await scenario.organiser.patch(url(scenario.slug, ""), { phase: "revise" })).status, 200);
  const revised = await participant.post<{ judgment: { id: string } }>(url(scenario.slug, `/judgments/${leaked}/revisions`), { judgment: { kind: "pairwise", outcome: "b" } });
  assert.equal(revised.status, 201);
  const { rows } = await server.pool.query<{ excluded_reason: string | null }>("SELECT excluded_reason FROM judgments WHERE id = $1", [revised.body.judgment.id]);
  assert.equal(rows[0]?.excluded_reason, "identity_leak", "the revision of a vote set aside stays set aside");
});

test("ratings: no response is served to one participant twice, and the draw ends when each has been rated once", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const served: string[] = [];
  for (let i = 0; i < 20; i++) {
    const view = await task(participant, scenario.slug, "rating");
    if (view.status === 404) break;
    assert.equal(view.status, 201, JSON.stringify(view.body));
    served.push(`${view.body.item.id}:${view.body.responses[0]?.text}`);
    const scores = { helpfulness: 3 };
    const judged = await participant.post(url(scenario.slug, `/assignments/${view.body.token}/judgment`), { judgment: { kind: "rating", scores } });
    assert.ok(judged.status === 201 || judged.status === 400, JSON.stringify(judged.body));
    if (judged.status === 400) {
      const abstained = await participant.post(url(scenario.slug, `/assignments/${view.body.token}/judgment`), { judgment: { kind: "abstention", reason: "cannot rate this" } });
      assert.equal(abstained.status, 201, JSON.stringify(abstained.body));
    }
  }
  assert.equal(new Set(served).size, served.length, `a response was served twice: ${served.join(", ")}`);
  assert.equal(served.length, 6, "each of the 6 responses once (2 items × 3 subjects)");
});

test("abstaining closes the task for good: the same item and pair is never served again", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  let tasks = 0;
  for (let i = 0; i < 12; i++) {
    const view = await task(participant, scenario.slug, "pairwise");
    if (view.status === 404) break;
    tasks += 1;
    const abstained = await participant.post(url(scenario.slug, `/assignments/${view.body.token}/judgment`), { judgment: { kind: "abstention", reason: "both are out of my depth" } });
    assert.equal(abstained.status, 201, JSON.stringify(abstained.body));
  }
  assert.equal(tasks, 6, "2 items × 3 pairs, each once");
  const { rows } = await server.pool.query<{ n: number; distinct: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT (a.item_id, LEAST(r1.subject_id, r2.subject_id), GREATEST(r1.subject_id, r2.subject_id)))::int AS distinct
       FROM assignments a JOIN participants p ON p.id = a.participant_id JOIN evaluations e ON e.id = a.evaluation_id
       JOIN responses r1 ON r1.id = a.response_ids[1] JOIN responses r2 ON r2.id = a.response_ids[2] WHERE e.slug = $1`,
    [scenario.slug],
  );
  assert.equal(rows[0]?.n, rows[0]?.distinct);
});

test("one open task per participant: switching modes abandons the open one, which can no longer be judged", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const first = await task(participant, scenario.slug, "pairwise");
  const second = await task(participant, scenario.slug, "rating");
  const third = await task(participant, scenario.slug, "ranking");
  for (const view of [first, second, third]) assert.equal(view.status, 201, JSON.stringify(view.body));
  const { rows } = await server.pool.query<{ open: number }>(
    "SELECT count(*)::int AS open FROM assignments a JOIN evaluations e ON e.id = a.evaluation_id WHERE e.slug = $1 AND judged_at IS NULL AND abandoned_at IS NULL",
    [scenario.slug],
  );
  assert.equal(rows[0]?.open, 1);
  const stale = await participant.post(url(scenario.slug, `/assignments/${first.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.field, "token");
  const concurrent = await Promise.all(Array.from({ length: 6 }, (_, i) => task(participant, scenario.slug, i % 2 ? "pairwise" : "rating")));
  assert.ok(concurrent.every((r) => r.status === 201 || r.status === 409), concurrent.map((r) => r.status).join(","));
  const after = await server.pool.query<{ open: number }>(
    "SELECT count(*)::int AS open FROM assignments a JOIN evaluations e ON e.id = a.evaluation_id WHERE e.slug = $1 AND judged_at IS NULL AND abandoned_at IS NULL",
    [scenario.slug],
  );
  assert.equal(after.rows[0]?.open, 1, "concurrent requests in several modes still leave one open task");
});

test("the database itself refuses a second current judgment of the same pair by the same participant", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const view = await task(participant, scenario.slug, "pairwise");
  const judged = await participant.post<{ judgment: { id: string } }>(url(scenario.slug, `/assignments/${view.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } });
  assert.equal(judged.status, 201);
  await assert.rejects(
    server.pool.query(
      `INSERT INTO judgments (evaluation_id, participant_id, item_id, assignment_token, kind, body, subject_a, subject_b, outcome, response_ids, phase, charter_version, consent_scopes)
       SELECT evaluation_id, participant_id, item_id, assignment_token, kind, body, subject_b, subject_a, 'b', response_ids, phase, charter_version, consent_scopes FROM judgments WHERE id = $1`,
      [judged.body.judgment.id],
    ),
    (error: { code?: string }) => error.code === "23505",
  );
});

test("concurrent requests without a transaction: one open task for concurrent draws, one judgment for concurrent votes on a token", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  const draws = await Promise.all(Array.from({ length: 8 }, () => task(participant, scenario.slug, "pairwise")));
  assert.ok(draws.every((r) => r.status === 201), draws.map((r) => r.status).join(","));
  assert.equal(new Set(draws.map((r) => r.body.token)).size, 1, "every concurrent draw returns the one open task");
  const token = draws[0]?.body.token;
  const votes = await Promise.all(
    Array.from({ length: 8 }, (_, i) => participant.post(url(scenario.slug, `/assignments/${token}/judgment`), { judgment: { kind: "pairwise", outcome: i % 2 ? "a" : "b" } })),
  );
  assert.deepEqual(votes.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409]);
  assert.ok(votes.filter((r) => r.status === 409).every((r) => r.body.code === "already_judged"), JSON.stringify(votes.map((r) => r.body.code)));
  const { rows } = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM judgments WHERE assignment_token = $1", [token]);
  assert.equal(rows[0]?.n, 1);
});

test("the draw that does not read the history still never serves an (item, pair) judged without a task or served before", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const { rows: responses } = await server.pool.query<{ item_id: string; subject_id: string }>(
    "SELECT r.item_id, r.subject_id FROM responses r JOIN evaluations e ON e.id = r.evaluation_id WHERE e.slug = $1 ORDER BY r.item_id, r.subject_id",
    [scenario.slug],
  );
  const options = responses.flatMap((x) => responses.filter((y) => y.item_id === x.item_id && y.subject_id > x.subject_id).map((y) => ({ item: x.item_id, a: x.subject_id, b: y.subject_id })));
  assert.equal(options.length, 6, "2 items × 3 pairs");
  const [left, ...imported] = options;
  for (let round = 0; round < 4; round++) {
    const participant = await joinAs(server.baseUrl, scenario);
    const { rows } = await server.pool.query<{ id: string }>(
      "SELECT p.id FROM participants p JOIN evaluations e ON e.id = p.evaluation_id WHERE e.slug = $1 AND NOT EXISTS (SELECT 1 FROM judgments j WHERE j.participant_id = p.id) AND p.id IN (SELECT participant_id FROM consents)",
      [scenario.slug],
    );
    assert.equal(rows.length, 1);
    // Five of the six options judged without a task (as an import stores them), sides in either order.
    for (const [k, o] of imported.entries()) {
      const [a, b] = k % 2 ? [o.b, o.a] : [o.a, o.b];
      await server.pool.query(
        `INSERT INTO judgments (evaluation_id, participant_id, item_id, kind, body, subject_a, subject_b, outcome, phase, charter_version, consent_scopes)
         SELECT e.id, $2, $3, 'pairwise', '{"kind":"pairwise","outcome":"tie"}', $4, $5, 'tie', e.phase, 1, '{aggregate}' FROM evaluations e WHERE e.slug = $1`,
        [scenario.slug, rows[0]?.id, o.item, a, b],
      );
    }
    const view = await task(participant, scenario.slug, "pairwise");
    assert.equal(view.status, 201, JSON.stringify(view.body));
    assert.equal(view.body.item.id, left?.item, "the one option not judged yet");
    const judged = await participant.post<{ revealed: { subject: { id: string } }[] }>(url(scenario.slug, `/assignments/${view.body.token}/judgment`), {
      judgment: { kind: "pairwise", outcome: "a" },
    });
    assert.equal(judged.status, 201, JSON.stringify(judged.body));
    assert.deepEqual(judged.body.revealed.map((r) => r.subject.id).sort(), [left?.a, left?.b].sort());
    const none = await participant.post(url(scenario.slug, "/assignments"), { mode: "pairwise" });
    assert.equal(none.status, 404, "the option just served is not served again");
    assert.equal(none.body.code, "nothing_to_assign");
  }
});
