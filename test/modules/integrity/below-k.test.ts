/**
 * "Integrity": the attacks of the issue, each of which the old code let through. Below k, nothing individual;
 * consent everywhere.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

interface Results {
  rules: { rule: string; used: number }[];
  suppressedRules: { rule: string; suppressed: { reason: string; k: number } }[];
  dissent: { abstentions: number | null; contests: number | null; bySubject: { key: string; contest: number | null }[] };
  groups: { suppressedGroups: number; groups: { community: string; participants: number }[] } | null;
}

async function judgePairwise(client: Client, slug: string, outcome = "a"): Promise<void> {
  const view = await client.post<{ token: string }>(`/api/evaluations/${slug}/assignments`, { mode: "pairwise" });
  assert.equal(view.status, 201, JSON.stringify(view.body));
  const judged = await client.post(`/api/evaluations/${slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "pairwise", outcome } });
  assert.equal(judged.status, 201, JSON.stringify(judged.body));
}

const results = (slug: string, query = "") => new Client(server.baseUrl).get<Results>(`/api/evaluations/${slug}/results?rounds=20${query}`);

test("one ranking: the results show no individual ballot (Borda and ranked pairs are suppressed, with the reason and k, no count)", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const voter = await joinAs(server.baseUrl, scenario);
  const view = await voter.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "ranking" });
  assert.equal(view.status, 201, JSON.stringify(view.body));
  const judged = await voter.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "ranking", order: [["b"], ["a"], ["c"]] } });
  assert.equal(judged.status, 201, JSON.stringify(judged.body));
  const res = await results(scenario.slug, "&rule=borda,ranked-pairs");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.rules, [], "no column reproduces the one ballot");
  assert.deepEqual(
    res.body.suppressedRules.map((r) => [r.rule, r.suppressed]),
    [["borda", { reason: "fewer_than_k_contributors", k: 2 }], ["ranked-pairs", { reason: "fewer_than_k_contributors", k: 2 }]],
  );
});

test("one judgment in a new evaluation: no rule result is published, on the results or on the card", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  await judgePairwise(await joinAs(server.baseUrl, scenario), scenario.slug, "b");
  const res = await results(scenario.slug);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.rules, []);
  assert.ok(res.body.suppressedRules.length >= 4 && res.body.suppressedRules.every((r) => r.suppressed.reason === "fewer_than_k_contributors"));
  const card = await new Client(server.baseUrl).get<{ card: { results: unknown[] }; notes?: string[] }>(`/api/evaluations/${scenario.slug}/card`);
  assert.deepEqual(card.body.card.results, []);
  // with a second person, the same rules are published
  await judgePairwise(await joinAs(server.baseUrl, scenario), scenario.slug, "a");
  assert.ok((await results(scenario.slug)).body.rules.some((r) => r.rule === "win-rate"));
});

test("dissent with one contester: no per-subject number in the results", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const [a, b, c] = [await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario)];
  for (const client of [a, b]) await judgePairwise(client, scenario.slug);
  const view = await c.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
  await c.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "contest", target: "framing", reason: "both answers assume I am a citizen" } });
  const res = await results(scenario.slug);
  assert.equal(res.body.dissent.contests, null);
  assert.ok(res.body.dissent.bySubject.every((row) => row.contest === null), JSON.stringify(res.body.dissent.bySubject));
});

test("an abstention reason given in k judgments by ONE person is not published on the card", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const lone = await joinAs(server.baseUrl, scenario);
  for (const item of scenario.items) {
    const res = await lone.post(`/api/evaluations/${scenario.slug}/items/${item.id}/judgments`, { judgment: { kind: "abstention", reason: "my landlord is the council" } });
    assert.equal(res.status, 201);
  }
  const card = await new Client(server.baseUrl).get<{ card: { dissent: { abstentions: number | null; abstentionReasons: { reason: string }[] } } }>(`/api/evaluations/${scenario.slug}/card`);
  assert.deepEqual(card.body.card.dissent.abstentionReasons, []);
  assert.equal(card.body.card.dissent.abstentions, null, "two abstentions of one person show no count either");
  const markdown = await new Client(server.baseUrl).get<string>(`/api/evaluations/${scenario.slug}/card?format=markdown`);
  assert.ok(!String(markdown.body).includes("landlord"));
});

test("a hidden community cannot be recovered by subtracting the visible groups from the total", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const people = [
    await joinAs(server.baseUrl, scenario, ["aggregate"], ["tenants"]),
    await joinAs(server.baseUrl, scenario, ["aggregate"], ["tenants"]),
    await joinAs(server.baseUrl, scenario, ["aggregate"], ["tenants"]),
    await joinAs(server.baseUrl, scenario, ["aggregate"], ["carers"]),
  ];
  for (const person of people) await judgePairwise(person, scenario.slug);
  const res = await results(scenario.slug, "&rule=win-rate&by=community");
  const total = res.body.rules.find((r) => r.rule === "win-rate")?.used;
  assert.equal(total, 4, "the total is published");
  const visible = res.body.groups?.groups ?? [];
  // the old code showed tenants = 3 next to the total 4: carers = 4 − 3 = 1
  assert.ok(!visible.some((g) => g.community === "tenants"), JSON.stringify(res.body.groups));
  assert.equal(res.body.groups?.suppressedGroups, 2);
  const card = await new Client(server.baseUrl).get<{ card: { participation: { participants: number; communities: { key: string }[] } } }>(`/api/evaluations/${scenario.slug}/card`);
  assert.equal(card.body.card.participation.participants, 4);
  assert.deepEqual(card.body.card.participation.communities, [], "the card hides the complement too");
});

async function insertParticipantItem(scenario: Scenario, author: Client, prompt: string): Promise<string> {
  const me = await author.get<{ participant: { id: string } }>(`/api/evaluations/${scenario.slug}/me`);
  const { rows } = await server.pool.query<{ id: string; evaluation_id: string }>(
    "INSERT INTO items (evaluation_id, prompt, author_participant_id) SELECT id, $2, $3 FROM evaluations WHERE slug = $1 RETURNING id, evaluation_id",
    [scenario.slug, prompt, me.body.participant.id],
  );
  const item = rows[0]!;
  for (const subject of scenario.subjects) {
    await server.pool.query("INSERT INTO responses (evaluation_id, item_id, subject_id, text) VALUES ($1, $2, $3, $4)", [item.evaluation_id, item.id, subject.id, `${subject.name} answers`]);
  }
  return item.id;
}

test("revoking consent removes the author's prompt from public items and from exports", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 }, ["An organiser's prompt"]);
  const author = await joinAs(server.baseUrl, scenario, ["aggregate", "research"]);
  const judges = [await joinAs(server.baseUrl, scenario, ["aggregate", "research"]), await joinAs(server.baseUrl, scenario, ["aggregate", "research"])];
  const secret = "My neighbour at 12 Elm Street never pays rent: is that legal?";
  await insertParticipantItem(scenario, author, secret);
  for (const judge of judges) for (let i = 0; i < 3; i++) await judgePairwise(judge, scenario.slug);
  const items = async () => JSON.stringify((await new Client(server.baseUrl).get(`/api/evaluations/${scenario.slug}/items`)).body);
  const exported = async () => {
    const res = await scenario.organiser.post<{ files: { content: string }[] }>(`/api/evaluations/${scenario.slug}/exports`, { scope: "research", recipient: "Lab", purpose: "study", format: "jsonl" });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.files.map((f) => f.content).join("\n");
  };
  assert.ok((await items()).includes(secret), "with consent, the prompt is public");
  const judgedIt = (await exported()).includes(secret);

  assert.equal((await author.post(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["research"] })).status, 200);
  assert.ok((await items()).includes(secret), "revoking research alone keeps the prompt in the evaluation's own views");
  assert.ok(!(await exported()).includes(secret), `a research export no longer carries the prompt (it did before: ${judgedIt})`);

  assert.equal((await author.post(`/api/evaluations/${scenario.slug}/consent/revoke`, {})).status, 200);
  assert.ok(!(await items()).includes(secret), "revoking everything removes the prompt from the public items");
  assert.ok(!JSON.stringify((await new Client(server.baseUrl).get(`/api/evaluations/${scenario.slug}/dissent`)).body).includes("Elm Street"));
});

test("the card's participation counts match the results' counts after a revocation", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const people = [];
  for (let i = 0; i < 4; i++) people.push(await joinAs(server.baseUrl, scenario));
  for (const [i, person] of people.entries()) for (let n = 0; n < 2 + i; n++) await judgePairwise(person, scenario.slug);
  assert.equal((await people[3]!.post(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["aggregate"] })).status, 200);
  const res = await results(scenario.slug, "&rule=win-rate");
  const card = await new Client(server.baseUrl).get<{ card: { participation: { participants: number; judgments: number }; consent: { participants: number } } }>(`/api/evaluations/${scenario.slug}/card`);
  assert.equal(res.body.rules[0]?.used, 2 + 3 + 4);
  assert.deepEqual([card.body.card.participation.participants, card.body.card.participation.judgments], [3, res.body.rules[0]?.used]);
});
