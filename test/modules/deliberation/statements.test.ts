import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, rowCounts, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

interface StatementView {
  id: string;
  text: string;
  moderation: string;
  votes: { agree: number; disagree: number; pass: number } | null;
  myVote: string | null;
  priority?: number;
}
interface VoteView {
  statementId: string;
  vote: string;
  isCurrent: boolean;
}

const CHARTER = { kAnonymity: 2, textLimits: { statement: 40 } };

async function statement(scenario: Scenario, client: Client, text: string): Promise<StatementView> {
  const res = await client.post<{ statement: StatementView }>(`/api/evaluations/${scenario.slug}/statements`, { text });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.statement;
}

async function vote(scenario: Scenario, client: Client, id: string, value: string) {
  return client.put<{ vote: VoteView; history: VoteView[] }>(`/api/evaluations/${scenario.slug}/statements/${id}/vote`, { vote: value });
}

async function list(scenario: Scenario, client: Client) {
  const res = await client.get<{ statements: StatementView[]; statementModeration: string }>(`/api/evaluations/${scenario.slug}/statements`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function assertRefused(call: () => Promise<{ status: number; body: unknown; contentType: string }>, status: number, field: string | undefined, code?: string) {
  const before = await rowCounts(server.pool);
  const res = await call();
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.contentType, /application\/problem\+json/);
  const problem = res.body as { field?: string; code?: string };
  assert.equal(problem.field, field, JSON.stringify(res.body));
  if (code) assert.equal(problem.code, code);
  assert.deepEqual(await rowCounts(server.pool), before, "a refused request changes no rows");
}

describe("statement votes", () => {
  test("the last vote counts and every vote is kept; tallies appear once k participants voted", async () => {
    const scenario = await openEvaluation(server.baseUrl, CHARTER);
    const [alice, bob] = [await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario)];
    const s = await statement(scenario, scenario.organiser, "Answers should cite the rule.");
    assert.equal(s.moderation, "accepted", "an organiser's statement is accepted as written");
    assert.equal((await vote(scenario, alice, s.id, "agree")).status, 200);
    const second = await vote(scenario, alice, s.id, "disagree");
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.deepEqual(second.body.history.map((v) => [v.vote, v.isCurrent]), [["agree", false], ["disagree", true]]);
    const afterOne = await list(scenario, alice);
    assert.equal(afterOne.statements[0]?.myVote, "disagree");
    assert.equal(afterOne.statements[0]?.votes, null, "one voter is below k = 2: no tally");
    await vote(scenario, bob, s.id, "agree");
    assert.deepEqual((await list(scenario, new Client(server.baseUrl))).statements[0]?.votes, { agree: 1, disagree: 1, pass: 0 });
    const mine = await alice.get<{ votes: VoteView[] }>(`/api/evaluations/${scenario.slug}/statements/votes/mine`);
    assert.deepEqual(mine.body.votes.map((v) => v.vote), ["agree", "disagree"]);
  });
});

describe("moderation modes", () => {
  test("permissive shows unmoderated statements; strict shows and accepts votes on accepted ones only", async () => {
    const scenario = await openEvaluation(server.baseUrl, CHARTER);
    const [alice, bob] = [await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario)];
    const proposed = await statement(scenario, alice, "Plain language matters most.");
    assert.equal(proposed.moderation, "unmoderated");
    const settings = await bob.get<{ statementModeration: string }>(`/api/evaluations/${scenario.slug}/deliberation/settings`);
    assert.equal(settings.body.statementModeration, "permissive", "permissive by default");
    assert.deepEqual((await list(scenario, bob)).statements.map((s) => s.id), [proposed.id]);
    assert.equal((await vote(scenario, bob, proposed.id, "agree")).status, 200);

    await assertRefused(() => bob.put(`/api/evaluations/${scenario.slug}/deliberation/settings`, { statementModeration: "strict" }), 403, undefined, "forbidden");
    const strict = await scenario.organiser.put(`/api/evaluations/${scenario.slug}/deliberation/settings`, { statementModeration: "strict" });
    assert.equal(strict.status, 200, JSON.stringify(strict.body));
    assert.deepEqual((await list(scenario, bob)).statements, [], "strict: the unmoderated statement is not shown");
    assert.equal((await list(scenario, scenario.organiser)).statements.length, 1, "organisers see every state");
    await assertRefused(() => vote(scenario, alice, proposed.id, "agree"), 409, "statementId", "statement_not_votable");

    const accepted = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/statements/${proposed.id}/moderation`, { state: "accepted" });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    assert.deepEqual((await list(scenario, bob)).statements.map((s) => s.id), [proposed.id]);
    assert.equal((await vote(scenario, alice, proposed.id, "agree")).status, 200);
  });

  test("bad input: vote value, rejected statement, text over limit, non-organiser moderating, unknown statement", async () => {
    const scenario = await openEvaluation(server.baseUrl, CHARTER);
    const alice = await joinAs(server.baseUrl, scenario);
    const s = await statement(scenario, alice, "Short answers are better.");
    const url = `/api/evaluations/${scenario.slug}/statements`;
    await assertRefused(() => vote(scenario, alice, s.id, "maybe"), 400, "body.vote", "validation_failed");
    await assertRefused(() => alice.post(url, { text: "x".repeat(41) }), 400, "text", "text_too_long");
    await assertRefused(() => alice.post(`${url}/${s.id}/moderation`, { state: "rejected", reason: "mine" }), 403, undefined, "forbidden");
    await assertRefused(() => scenario.organiser.post(`${url}/${s.id}/moderation`, { state: "rejected" }), 400, "reason");
    await assertRefused(() => vote(scenario, alice, "00000000-0000-4000-8000-000000000000", "agree"), 404, "statementId", "not_found");
    const rejected = await scenario.organiser.post(`${url}/${s.id}/moderation`, { state: "rejected", reason: "duplicate of an earlier statement" });
    assert.equal(rejected.status, 201);
    await assertRefused(() => vote(scenario, alice, s.id, "agree"), 409, "statementId", "statement_not_votable");
    const log = await alice.get<{ actions: { targetId: string; action: string; reason: string }[] }>(`/api/evaluations/${scenario.slug}/moderation`);
    assert.deepEqual(log.body.actions.map((a) => [a.targetId, a.action, a.reason]), [[s.id, "reject", "duplicate of an earlier statement"]]);
  });
});

describe("routing", () => {
  test("shows unvoted, shown statements, drawn by Polis priority, without ever returning a priority", async () => {
    const scenario = await openEvaluation(server.baseUrl, CHARTER);
    const [alice, bob] = [await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario)];
    const voted = await statement(scenario, scenario.organiser, "Voted on once.");
    const fresh = await statement(scenario, scenario.organiser, "Nobody voted yet.");
    const rejected = await statement(scenario, alice, "Will be rejected.");
    await scenario.organiser.post(`/api/evaluations/${scenario.slug}/statements/${rejected.id}/moderation`, { state: "rejected", reason: "off topic" });
    await vote(scenario, alice, voted.id, "agree");

    const forBob = await bob.get<{ statements: StatementView[]; remaining: number; rule: { fromOpinionMap: boolean } }>(`/api/evaluations/${scenario.slug}/statements/next?count=10`);
    assert.equal(forBob.status, 200, JSON.stringify(forBob.body));
    assert.equal(forBob.body.rule.fromOpinionMap, false, "one voter: no map, the formula runs on stored counts with E = 0");
    assert.deepEqual(forBob.body.statements.map((s) => s.id).sort(), [voted.id, fresh.id].sort(), "the rejected statement is never routed");
    // an exact priority is a function of the statement's tallies (one agree here, below k): it never leaves
    assert.ok(forBob.body.statements.every((s) => !("priority" in s)), JSON.stringify(forBob.body.statements));
    assert.ok(!JSON.stringify(forBob.body).includes("5.0625"));
    assert.equal(forBob.body.remaining, 2);

    const forAlice = await alice.get<{ statements: StatementView[]; remaining: number }>(`/api/evaluations/${scenario.slug}/statements/next?count=10`);
    assert.deepEqual(forAlice.body.statements.map((s) => s.id), [fresh.id], "what alice voted on is not shown again");
    const one = await bob.get<{ statements: StatementView[] }>(`/api/evaluations/${scenario.slug}/statements/next`);
    assert.equal(one.body.statements.length, 1, "count defaults to one statement");
  });
});
