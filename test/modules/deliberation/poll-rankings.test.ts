import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, type Scenario, subjectOfText } from "../../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let scenario: Scenario;
before(async () => {
  server = await startTestServer();
  scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 }, ["How do I apply for housing benefit?"]);
});
after(async () => server.close());

const nameOf = subjectOfText;
const url = (path: string) => `/api/evaluations/${scenario.slug}${path}`;

interface View {
  token: string;
  item: { id: string };
  responses: { key: string; text: string }[];
}
interface RankingCell {
  itemId: string;
  subject: { name: string };
  suppressed: boolean;
  participants?: number;
  before?: { meanPosition: number };
  after?: { meanPosition: number | null; judgments: number };
  change?: { moved: number; up: number; down: number; withdrew: number };
}

/** Ranks the served responses in the given order of subject names (best first; a nested array is a tie). */
function orderFor(view: View, ranking: readonly (string | readonly string[])[]): string[][] {
  const keyOf = new Map(view.responses.map((r) => [nameOf(r.text), r.key]));
  return ranking.map((group) => (typeof group === "string" ? [group] : [...group]).map((name) => keyOf.get(name) as string));
}

test("rankings in the deliberative poll: mean position before and after, who moved up or down, who withdrew", async () => {
  const people: { client: Client; view: View; judgment: string }[] = [];
  const before = [["Alpha-1", "Beta-2", "Gamma-3"], ["Beta-2", "Alpha-1", "Gamma-3"], ["Beta-2", ["Alpha-1", "Gamma-3"]]] as const;
  for (const ranking of before) {
    const client = await joinAs(server.baseUrl, scenario);
    const view = (await client.post<View>(url("/assignments"), { mode: "ranking" })).body;
    const judged = await client.post<{ judgment: { id: string } }>(url(`/assignments/${view.token}/judgment`), { judgment: { kind: "ranking", order: orderFor(view, [...ranking]) } });
    assert.equal(judged.status, 201, JSON.stringify(judged.body));
    people.push({ client, view, judgment: judged.body.judgment.id });
  }
  assert.equal((await scenario.organiser.patch(url(""), { phase: "deliberate" })).status, 200);
  assert.equal((await scenario.organiser.patch(url(""), { phase: "revise" })).status, 200);
  // The second participant is persuaded Alpha is best; the third withdraws into an abstention.
  const [, second, third] = people;
  const revised = await second!.client.post(url(`/judgments/${second!.judgment}/revisions`), { judgment: { kind: "ranking", order: orderFor(second!.view, ["Alpha-1", "Beta-2", "Gamma-3"]) } });
  assert.equal(revised.status, 201, JSON.stringify(revised.body));
  const withdrawn = await third!.client.post(url(`/judgments/${third!.judgment}/revisions`), { judgment: { kind: "abstention", reason: "these answers need a benefits adviser to judge" } });
  assert.equal(withdrawn.status, 201);

  const poll = await new Client(server.baseUrl).get<{ rankings: RankingCell[] }>(url("/deliberative-poll"));
  assert.equal(poll.status, 200, JSON.stringify(poll.body));
  // One item: every participant ranked its three responses. Positions: 1 = best; a tie shares its group's.
  const byName = new Map(poll.body.rankings.map((c) => [c.subject.name, c]));
  assert.equal(poll.body.rankings.length, 3);
  const alpha = byName.get("Alpha-1");
  assert.equal(alpha?.suppressed, false);
  assert.equal(alpha?.participants, 3);
  assert.equal(alpha?.before?.meanPosition, (1 + 2 + 2) / 3);
  assert.equal(alpha?.after?.meanPosition, (1 + 1) / 2);
  assert.deepEqual(alpha?.change, { moved: 2, up: 1, down: 0, withdrew: 1 });
  const beta = byName.get("Beta-2");
  assert.equal(beta?.before?.meanPosition, (2 + 1 + 1) / 3);
  assert.equal(beta?.after?.meanPosition, (2 + 2) / 2);
  assert.deepEqual(beta?.change, { moved: 2, up: 0, down: 1, withdrew: 1 });
  const gamma = byName.get("Gamma-3");
  assert.equal(gamma?.before?.meanPosition, (3 + 3 + 2) / 3);
  assert.equal(gamma?.after?.meanPosition, 3);
  assert.deepEqual(gamma?.change, { moved: 1, up: 0, down: 0, withdrew: 1 });
});
