/**
 * End to end: participants judge, discuss (posts, statements, votes), then revise; the deliberative
 * poll's before/after report is checked against numbers computed here from what they did.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, type Scenario, subjectOfText } from "../../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let scenario: Scenario;
before(async () => {
  server = await startTestServer();
  scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
});
after(async () => server.close());

type Outcome = "a" | "b" | "tie" | "both_bad";
interface Judged {
  who: string;
  judgmentId: string;
  item: string;
  a: string;
  b: string;
  before: Outcome;
  after: Outcome | "abstention";
}
interface View {
  token: string;
  item: { id: string };
  responses: { key: string; text: string }[];
}

const nameOf = subjectOfText;
const url = (path: string) => `/api/evaluations/${scenario.slug}${path}`;

/** The outcome a participant with this preference order (best first; null = indifferent) gives. */
function prefer(order: string[] | null, a: string, b: string): Outcome {
  if (!order) return "tie";
  return order.indexOf(a) < order.indexOf(b) ? "a" : "b";
}

async function judgeAll(who: string, client: Client, order: string[] | null): Promise<Judged[]> {
  const done: Judged[] = [];
  for (;;) {
    const view = await client.post<View>(url("/assignments"), { mode: "pairwise" });
    if (view.status === 404) return done;
    assert.equal(view.status, 201, JSON.stringify(view.body));
    const [a, b] = view.body.responses.map((r) => nameOf(r.text)) as [string, string];
    const outcome = prefer(order, a, b);
    const res = await client.post<{ judgment: { id: string } }>(url(`/assignments/${view.body.token}/judgment`), { judgment: { kind: "pairwise", outcome } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    done.push({ who, judgmentId: res.body.judgment.id, item: view.body.item.id, a, b, before: outcome, after: outcome });
  }
}

async function revise(client: Client, j: Judged, to: Outcome | "abstention"): Promise<void> {
  const judgment = to === "abstention" ? { kind: "abstention", reason: "the discussion convinced me this comparison is unfair" } : { kind: "pairwise", outcome: to };
  const res = await client.post<{ judgment: { id: string } }>(url(`/judgments/${j.judgmentId}/revisions`), { judgment });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  j.judgmentId = res.body.judgment.id;
  j.after = to;
}

function score(outcome: Outcome | "abstention", side: "a" | "b"): number | null {
  if (outcome === "abstention") return null;
  return outcome === side ? 1 : outcome === "tie" || outcome === "both_bad" ? 0.5 : 0;
}

/** The report's pairwise cells, computed independently from the record of what each participant did. */
function expectedCells(judged: Judged[]) {
  const cells = new Map<string, { rows: { who: string; before: number; after: number | null; changed: boolean }[] }>();
  for (const j of judged) {
    for (const [subject, side] of [[j.a, "a"], [j.b, "b"]] as const) {
      const key = `${j.item}|${subject}`;
      const cell = cells.get(key) ?? { rows: [] };
      cell.rows.push({ who: j.who, before: score(j.before, side) as number, after: score(j.after, side), changed: j.after !== j.before });
      cells.set(key, cell);
    }
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return new Map(
    [...cells].map(([key, { rows }]) => {
      const afters = rows.filter((r) => r.after !== null);
      return [
        key,
        {
          participants: new Set(rows.map((r) => r.who)).size,
          judgments: rows.length,
          before: mean(rows.map((r) => r.before)),
          after: mean(afters.map((r) => r.after as number)),
          moved: rows.filter((r) => r.changed).length,
          toward: rows.filter((r) => r.after !== null && r.after > r.before).length,
          away: rows.filter((r) => r.after !== null && r.after < r.before).length,
          withdrew: rows.filter((r) => r.after === null).length,
          sideways: rows.filter((r) => r.changed && r.after === r.before).length,
        },
      ];
    }),
  );
}

interface PollCell {
  itemId: string;
  subject: { id: string; name: string };
  dimension?: string;
  suppressed: boolean;
  reason?: string;
  participants?: number;
  judgments?: number;
  before?: { winShare?: number; mean?: number };
  after?: { winShare?: number };
  change?: { moved: number; toward: number; away: number; withdrew: number; sideways: number };
}
interface Poll {
  pairwise: PollCell[];
  ratings: PollCell[];
  excluded: { judgmentsWithoutBefore: number; judgmentsWithoutAggregateConsent: number };
}

test("judge, discuss, revise: the before/after report is exact and k-suppressed", async () => {
  const [p1, p2, p3] = [await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario), await joinAs(server.baseUrl, scenario)];
  const p4 = await joinAs(server.baseUrl, scenario, ["aggregate", "publish"]);

  // P1 also rates one response: a rating cell of one participant, below k = 2.
  const rating = await p1.post<View>(url("/assignments"), { mode: "rating" });
  assert.equal(rating.status, 201, JSON.stringify(rating.body));
  const rated = await p1.post(url(`/assignments/${rating.body.token}/judgment`), { judgment: { kind: "rating", scores: { helpfulness: 4 } } });
  assert.equal(rated.status, 201, JSON.stringify(rated.body));
  const ratedSubject = nameOf(rating.body.responses[0]?.text ?? "");

  const judged = [
    ...(await judgeAll("p1", p1, ["Alpha-1", "Beta-2", "Gamma-3"])),
    ...(await judgeAll("p2", p2, ["Gamma-3", "Beta-2", "Alpha-1"])),
    ...(await judgeAll("p3", p3, null)),
  ];
  const p4Judged = await judgeAll("p4", p4, ["Alpha-1", "Beta-2", "Gamma-3"]);
  assert.equal(judged.length, 18, "3 participants × 2 items × 3 pairs");
  assert.equal(p4Judged.length, 6);

  // Deliberate: a thread, statements and votes.
  assert.equal((await scenario.organiser.patch(url(""), { phase: "deliberate" })).status, 200);
  const thread = await p2.post<{ post: { id: string } }>(url("/posts"), { targetKind: "item", targetId: judged[0]?.item, text: "Gamma explains the eligibility rules best." });
  assert.equal(thread.status, 201);
  assert.equal((await p1.post(url(`/posts/${thread.body.post.id}/replies`), { text: "Alpha is shorter and still correct." })).status, 201);
  const st = await scenario.organiser.post<{ statement: { id: string } }>(url("/statements"), { text: "Correctness matters more than length." });
  for (const [client, v] of [[p1, "agree"], [p2, "agree"], [p3, "pass"]] as const) {
    assert.equal((await client.put(url(`/statements/${st.body.statement.id}/vote`), { vote: v })).status, 200);
  }
  assert.equal((await p3.post(url("/statements"), { text: "Alpha and Beta are not comparable." })).status, 201);

  // Revise: P2 now ranks Alpha first (one judgment revised twice); P3 withdraws Alpha–Beta on one item.
  assert.equal((await scenario.organiser.patch(url(""), { phase: "revise" })).status, 200);
  const newOrder = ["Alpha-1", "Gamma-3", "Beta-2"];
  const p2Changes = judged.filter((j) => j.who === "p2" && prefer(newOrder, j.a, j.b) !== j.before);
  assert.ok(p2Changes.length > 0);
  await revise(p2, p2Changes[0] as Judged, "tie");
  for (const j of p2Changes) await revise(p2, j, prefer(newOrder, j.a, j.b));
  const firstItem = judged[0]?.item;
  const p3AlphaBeta = judged.find((j) => j.who === "p3" && j.item === firstItem && [j.a, j.b].sort().join() === "Alpha-1,Beta-2") as Judged;
  await revise(p3, p3AlphaBeta, "abstention");
  // P1's tie on nothing: P1 changes nothing. P4 revokes aggregate: all of P4 drops out.
  assert.equal((await p4.post(url("/consent/revoke"), { scopes: ["aggregate"] })).status, 200);
  // A judgment first cast after deliberation has no "before".
  const late = await joinAs(server.baseUrl, scenario);
  const lateView = await late.post<View>(url("/assignments"), { mode: "pairwise" });
  assert.equal((await late.post(url(`/assignments/${lateView.body.token}/judgment`), { judgment: { kind: "pairwise", outcome: "a" } })).status, 201);

  const poll = await new Client(server.baseUrl).get<Poll>(url("/deliberative-poll"));
  assert.equal(poll.status, 200, JSON.stringify(poll.body));
  const expected = expectedCells(judged);
  assert.equal(poll.body.pairwise.length, expected.size, "2 items × 3 subjects");
  for (const cell of poll.body.pairwise) {
    const want = expected.get(`${cell.itemId}|${cell.subject.name}`);
    assert.ok(want, `unexpected cell ${cell.itemId} ${cell.subject.name}`);
    assert.equal(cell.suppressed, false);
    assert.equal(cell.participants, 3, "P4 (no aggregate consent) and the late judge are not counted");
    assert.equal(cell.judgments, want.judgments);
    assert.ok(Math.abs((cell.before?.winShare ?? -1) - want.before) < 1e-9, `before ${cell.subject.name}: ${cell.before?.winShare} vs ${want.before}`);
    assert.ok(Math.abs((cell.after?.winShare ?? -1) - want.after) < 1e-9, `after ${cell.subject.name}: ${cell.after?.winShare} vs ${want.after}`);
    const { moved, toward, away, withdrew, sideways } = want;
    assert.deepEqual(cell.change, { moved, toward, away, withdrew, sideways });
  }
  // Spot-check by hand: Alpha on an item before deliberation: P1 wins 2/2, P2 loses 2/2, P3 ties 2 → (2 + 0 + 1) / 6 = 1/2.
  const alphaFirst = poll.body.pairwise.find((c) => c.itemId === firstItem && c.subject.name === "Alpha-1");
  assert.ok(Math.abs((alphaFirst?.before?.winShare ?? 0) - 0.5) < 1e-9);
  // After: P1 2/2, P2 now wins 2/2, P3 ties vs Gamma only (Alpha–Beta withdrawn) → (2 + 2 + 0.5) / 5 = 0.9.
  assert.ok(Math.abs((alphaFirst?.after?.winShare ?? 0) - 0.9) < 1e-9);
  assert.deepEqual(alphaFirst?.change, { moved: 3, toward: 2, away: 0, withdrew: 1, sideways: 0 });

  assert.equal(poll.body.ratings.length, 1);
  const ratingCell = poll.body.ratings[0] as PollCell;
  assert.equal(ratingCell.subject.name, ratedSubject);
  assert.equal(ratingCell.suppressed, true, "one participant is below k = 2");
  assert.equal(ratingCell.reason, "below_k");
  assert.deepEqual(Object.keys(ratingCell).sort(), ["dimension", "itemId", "reason", "subject", "suppressed"], "no numbers in a suppressed cell");
  assert.deepEqual(poll.body.excluded, { judgmentsWithoutBefore: 1, judgmentsWithoutAggregateConsent: 6 });
});
