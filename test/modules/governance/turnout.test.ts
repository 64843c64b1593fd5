import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation } from "../../support/scenario.ts";
import { rowCounts, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

test("an open proposal shows how many who count have voted, of how many, against the quorum (not how they voted)", async () => {
  const scenario = await openEvaluation(server.baseUrl, { governance: { quorum: 0.5 } });
  const [a, b, c] = [await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario, null)];
  const deadline = new Date(Date.now() + 2 * 86_400_000).toISOString();
  const made = await a.post<{ proposal: { id: string } }>(`/api/evaluations/${scenario.slug}/proposals`, { kind: "adopt_rule", title: "Plain language", deadline, payload: { rule: "Summaries in plain language." } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  await a.put(`/api/evaluations/${scenario.slug}/proposals/${made.body.proposal.id}/ballot`, { choice: "yes" });
  await c.put(`/api/evaluations/${scenario.slug}/proposals/${made.body.proposal.id}/ballot`, { choice: "no" });
  type Listed = { proposals: { id: string; turnout: { voted: number; eligible: number; quorumNeeded: number } | null; tally: unknown }[] };
  const listed = await b.get<Listed>(`/api/evaluations/${scenario.slug}/proposals`);
  const proposal = listed.body.proposals.find((p) => p.id === made.body.proposal.id);
  // Two of the three hold consent and count; the one without consent voted but is not counted.
  assert.deepEqual(proposal?.turnout, { voted: 1, eligible: 2, quorumNeeded: 1 });
  assert.equal(proposal?.tally, null, "how people voted stays hidden until the deadline");
});

test("a demand's author cannot endorse it (409 own_demand, naming the rule); lists say which demand is the reader's", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const [author, other] = [await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario)];
  const made = await author.post<{ demand: { id: string } }>(`/api/evaluations/${scenario.slug}/demands`, { title: "Publish the prompts", text: "Residents should see them." });
  assert.equal(made.status, 201);
  const before = await rowCounts(server.pool);
  const own = await author.post<{ code: string; errors?: { rule: string }[] }>(`/api/evaluations/${scenario.slug}/demands/${made.body.demand.id}/endorsements`);
  assert.equal(own.status, 409);
  assert.equal(own.body.code, "own_demand");
  assert.equal(own.body.errors?.[0]?.rule, "no_self_endorsement");
  assert.deepEqual(await rowCounts(server.pool), before);
  type Demands = { demands: { id: string; mine?: boolean }[] };
  assert.equal((await author.get<Demands>(`/api/evaluations/${scenario.slug}/demands`)).body.demands[0]?.mine, true);
  assert.equal((await other.get<Demands>(`/api/evaluations/${scenario.slug}/demands`)).body.demands[0]?.mine, false);
  assert.equal((await other.post(`/api/evaluations/${scenario.slug}/demands/${made.body.demand.id}/endorsements`)).status, 201);
});
