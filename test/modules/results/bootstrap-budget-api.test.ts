import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let scenario: Scenario;
before(async () => {
  server = await startTestServer();
  scenario = await openEvaluation(server.baseUrl);
});
after(async () => server.close());

interface Problem {
  code: string;
  field?: string;
  errors?: { field: string; rule: string }[];
}

test("GET results: the public asking for rounds=5000 or its own seed gets a 400 problem naming the field and the rule", async () => {
  const anonymous = new Client(server.baseUrl);
  const participant = await joinAs(server.baseUrl, scenario);
  for (const client of [anonymous, participant]) {
    const rounds = await client.get<Problem>(`/api/evaluations/${scenario.slug}/results?rounds=5000&seed=123`);
    assert.equal(rounds.status, 400, JSON.stringify(rounds.body));
    assert.match(rounds.contentType, /problem\+json/);
    assert.equal(rounds.body.field, "rounds");
    assert.deepEqual(rounds.body.errors?.map((e) => e.rule), ["public_rounds_limit"]);
    const seed = await client.get<Problem>(`/api/evaluations/${scenario.slug}/results?seed=${Date.now() % 100000}`);
    assert.equal(seed.status, 400);
    assert.equal(seed.body.field, "seed");
  }
  // the default (and fewer rounds) pass the rule; this evaluation has no judgments yet, hence 422
  assert.equal((await anonymous.get(`/api/evaluations/${scenario.slug}/results?rounds=1000&seed=0`)).status, 422);
});

test("GET results: organisers and observers may ask for more rounds and any seed", async () => {
  const passed = await scenario.organiser.get<Problem>(`/api/evaluations/${scenario.slug}/results?rounds=5000&seed=42`);
  assert.equal(passed.status, 422, "past the rule; refused only because nothing is judged yet");
  const inv = await scenario.organiser.post<{ invitation: { token: string } }>(`/api/evaluations/${scenario.slug}/invitations`, { role: "observer" });
  assert.equal(inv.status, 201, JSON.stringify(inv.body));
  const observer = new Client(server.baseUrl);
  assert.equal((await observer.post(`/api/invitations/${inv.body.invitation.token}/join`, {})).status, 201);
  assert.equal((await observer.get(`/api/evaluations/${scenario.slug}/results?rounds=4000&seed=7`)).status, 422);
  const beyond = await scenario.organiser.get<Problem>(`/api/evaluations/${scenario.slug}/results?rounds=5001`);
  assert.equal(beyond.status, 400);
});
