/**
 * Blind votes and revised votes: the headline board counts what the charter says (by default each battle's
 * first vote, cast before the reveal), the other board stands beside it, and the change between them is shown
 * only when at least k people revised.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, subjectOfText, type Scenario } from "../../support/scenario.ts";
import { startTestServer, type Client, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

interface Task {
  token: string;
  responses: { key: string; text: string }[];
}
interface Board {
  rule: string;
  used: number;
  subjects: { name: string; rank: number; score: number }[];
}
interface Results {
  board: string;
  rules: Board[];
  boards: {
    headline: string;
    revisions: { judgments: number | null; people: number | null; suppressed?: { k: number } };
    identical: boolean;
    other: { board: string; rule: Board } | null;
    change: { tau: number | null; flippedCount: number; moved: { name: string; headlineRank: number; otherRank: number }[] } | null;
  };
}

const url = (slug: string, path: string) => `/api/evaluations/${slug}${path}`;
const PREFERENCE = ["Alpha-1", "Beta-2", "Gamma-3"];

/** Judges every battle the participant is served, preferring subjects in `preference`'s order; returns the judgments. */
async function judgeAll(client: Client, slug: string, preference: readonly string[]): Promise<{ id: string; winner: string; loser: string }[]> {
  const judged: { id: string; winner: string; loser: string }[] = [];
  for (let i = 0; i < 20; i++) {
    const task = await client.post<Task>(url(slug, "/assignments"), { mode: "pairwise" });
    if (task.status === 404) break;
    assert.equal(task.status, 201, JSON.stringify(task.body));
    const [a, b] = task.body.responses.map((r) => subjectOfText(r.text));
    assert.ok(a && b);
    const outcome = preference.indexOf(a) < preference.indexOf(b) ? "a" : "b";
    const res = await client.post<{ judgment: { id: string } }>(url(slug, `/assignments/${task.body.token}/judgment`), { judgment: { kind: "pairwise", outcome } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    judged.push({ id: res.body.judgment.id, winner: outcome === "a" ? a : b, loser: outcome === "a" ? b : a });
  }
  return judged;
}

/** Turns every win this participant gave Alpha-1 over Beta-2 into a loss. */
async function reviseAgainstAlpha(client: Client, slug: string, judged: readonly { id: string; winner: string; loser: string }[]): Promise<number> {
  let revised = 0;
  for (const j of judged.filter((x) => x.winner === "Alpha-1" && x.loser === "Beta-2")) {
    const mine = await client.get<{ judgments: { id: string; responses: { key: string; text: string }[] }[] }>(url(slug, "/me/judgments"));
    const shown = mine.body.judgments.find((x) => x.id === j.id);
    const alphaSide = shown?.responses.find((r) => subjectOfText(r.text) === "Alpha-1")?.key;
    assert.ok(alphaSide === "a" || alphaSide === "b", JSON.stringify(shown));
    const res = await client.post(url(slug, `/judgments/${j.id}/revisions`), { judgment: { kind: "pairwise", outcome: alphaSide === "a" ? "b" : "a" } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    revised++;
  }
  return revised;
}

async function results(scenario: Scenario): Promise<Results> {
  const res = await scenario.organiser.get<Results>(url(scenario.slug, "/results?rule=bt"));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

const order = (board: Board | undefined) => [...(board?.subjects ?? [])].sort((x, y) => y.score - x.score).map((s) => s.name);
const bt = (r: Results) => r.rules.find((rule) => rule.rule === "bt");

async function judgedByThree(charter: Record<string, unknown>) {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2, ...charter });
  const people = [await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario)];
  // two people prefer Alpha-1 > Beta-2 > Gamma-3, one the reverse (so that every subject sits on one scale)
  const judged = [];
  for (const [i, person] of people.entries()) judged.push(await judgeAll(person, scenario.slug, i < 2 ? PREFERENCE : [...PREFERENCE].reverse()));
  assert.ok(judged.every((j) => j.length === 6), "each judged the 6 battles of 2 items × 3 pairs");
  return { scenario, people, judged };
}

test("the blind board is the default headline: votes rewritten after the reveal never move it, and the revised board stands beside it", async () => {
  const { scenario, people, judged } = await judgedByThree({});
  const blind = await results(scenario);
  assert.equal(blind.board, "blind");
  assert.deepEqual(order(bt(blind)), PREFERENCE);
  assert.equal(blind.boards.identical, true);
  assert.equal(blind.boards.other, null);

  assert.equal((await scenario.organiser.patch(url(scenario.slug, ""), { phase: "revise" })).status, 200);
  const first = await reviseAgainstAlpha(people[0] as Client, scenario.slug, judged[0] ?? []);
  assert.equal(first, 2, "the first person preferred Alpha-1 over Beta-2 on both items");
  const oneReviser = await results(scenario);
  assert.deepEqual(bt(oneReviser)?.subjects, bt(blind)?.subjects, "the headline board ignores the revisions");
  assert.deepEqual(oneReviser.boards.revisions, { judgments: null, people: null, suppressed: { reason: "fewer_than_k_contributors", k: 2 } });
  assert.equal(oneReviser.boards.other, null, "one person's changed votes are not published as a board of their own");
  assert.equal(oneReviser.boards.change, null);

  await reviseAgainstAlpha(people[1] as Client, scenario.slug, judged[1] ?? []);
  const two = await results(scenario);
  assert.deepEqual(bt(two)?.subjects, bt(blind)?.subjects, "still the blind votes in the headline");
  assert.equal(bt(two)?.used, 18);
  assert.deepEqual(two.boards.revisions, { judgments: 4, people: 2 });
  assert.equal(two.boards.other?.board, "revised");
  assert.equal(two.boards.other?.rule.used, 18, "a revision replaces its vote on the revised board, never adds one");
  // revised: Beta-2 now beat Alpha-1 in all 6 of their battles
  assert.equal(order(two.boards.other?.rule)[0], "Beta-2");
  assert.ok((two.boards.change?.flippedCount ?? 0) >= 1);
  assert.ok((two.boards.change?.tau ?? 1) < 1);
  for (const m of two.boards.change?.moved ?? []) assert.notEqual(m.headlineRank, m.otherRank);
});

test("a charter that makes the revised board the headline counts the revisions, with the blind board beside it", async () => {
  const { scenario, people, judged } = await judgedByThree({ headlineBoard: "revised" });
  assert.equal((await scenario.organiser.patch(url(scenario.slug, ""), { phase: "revise" })).status, 200);
  await reviseAgainstAlpha(people[0] as Client, scenario.slug, judged[0] ?? []);
  await reviseAgainstAlpha(people[1] as Client, scenario.slug, judged[1] ?? []);
  const r = await results(scenario);
  assert.equal(r.board, "revised");
  assert.equal(order(bt(r))[0], "Beta-2");
  assert.equal(r.boards.other?.board, "blind");
  assert.deepEqual(order(r.boards.other?.rule), PREFERENCE);
});

test("a first vote set aside without a revision (a duplicate superseded by the integrity migration) counts on neither board", async () => {
  const { scenario, judged } = await judgedByThree({});
  const duplicate = judged[2]?.[0]?.id;
  assert.ok(duplicate);
  await server.pool.query("UPDATE judgments SET is_current = false WHERE id = $1", [duplicate]);
  const r = await results(scenario);
  assert.equal(bt(r)?.used, 17);
});
