import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { rowCounts, type TestServer } from "../../support/server.ts";
import { DAY, decide, inDays, openEvaluation, participants, startPowerServer, type Clock } from "../../support/power-harness.ts";

let server: TestServer & { clock: Clock };
before(async () => {
  server = await startPowerServer();
});
after(async () => server.close());

async function setting(method: string, voters: number, quorum = 0) {
  const scenario = await openEvaluation(server.baseUrl, { governance: { decisionMethod: method, quorum } });
  return { scenario, people: await participants(server.baseUrl, scenario, voters) };
}

const custom = { kind: "custom", payload: {} };

test("quorum not met: 1 of 4 voted under a 50% quorum (2 needed)", async () => {
  const { scenario, people } = await setting("majority", 4, 0.5);
  const p = await decide(server, scenario, people[0]!, custom, [[people[0]!, "yes"]]);
  assert.equal(p.status, "rejected");
  assert.equal(p.rejectionReason, "quorum_not_met");
  assert.equal(p.tally?.quorumNeeded, 2);
  assert.equal(p.tally?.cast, 1);
});

test("a tie under majority: 2 yes, 2 no", async () => {
  const { scenario, people } = await setting("majority", 4);
  const [a, b, c, d] = people as [typeof people[0], typeof people[0], typeof people[0], typeof people[0]];
  const p = await decide(server, scenario, a, custom, [[a, "yes"], [b, "yes"], [c, "no"], [d, "no"]]);
  assert.deepEqual([p.status, p.rejectionReason], ["rejected", "tie"]);
});

test("supermajority: 3 of 5 (60%) is below 2/3; exactly 2 of 3 passes; 3 of 4 (75%) passes", async () => {
  const below = await setting("supermajority", 5);
  const [a, b, c, d, e] = below.people;
  const p1 = await decide(server, below.scenario, a!, custom, [[a!, "yes"], [b!, "yes"], [c!, "yes"], [d!, "no"], [e!, "no"]]);
  assert.deepEqual([p1.status, p1.rejectionReason], ["rejected", "below_threshold"]);
  const exact = await setting("supermajority", 3);
  const [x, y, z] = exact.people;
  const p2 = await decide(server, exact.scenario, x!, custom, [[x!, "yes"], [y!, "yes"], [z!, "no"]]);
  assert.equal(p2.status, "passed");
  const above = await setting("supermajority", 4);
  const [f, g, h, i] = above.people;
  const p3 = await decide(server, above.scenario, f!, custom, [[f!, "yes"], [g!, "yes"], [h!, "yes"], [i!, "no"]]);
  assert.equal(p3.status, "passed");
  assert.deepEqual([p3.tally?.yes, p3.tally?.no], [3, 1]);
});

test("consent method: one reasoned objection blocks; a bare no is refused", async () => {
  const { scenario, people } = await setting("consent", 3);
  const [a, b, c] = people;
  const created = await a!.post<{ proposal: { id: string } }>(`/api/evaluations/${scenario.slug}/proposals`, { ...custom, title: "t", deadline: inDays(server.clock, 2) });
  const no = await b!.put(`/api/evaluations/${scenario.slug}/proposals/${created.body.proposal.id}/ballot`, { choice: "no" });
  assert.equal(no.status, 400);
  assert.equal((no.body as { field: string }).field, "choice");
  const bare = await b!.put(`/api/evaluations/${scenario.slug}/proposals/${created.body.proposal.id}/ballot`, { choice: "object" });
  assert.equal(bare.status, 400);
  assert.equal((bare.body as { field: string }).field, "reason");
  const p = await decide(server, scenario, a!, custom, [[a!, "yes"], [b!, "yes"], [c!, "object", "this harms the people it is about"]]);
  assert.deepEqual([p.status, p.rejectionReason, p.tally?.object], ["rejected", "objection", 1]);
});

test("a ballot changed before the close counts as changed; a ballot after the deadline is refused", async () => {
  const { scenario, people } = await setting("majority", 2);
  const [a, b] = people;
  const created = await a!.post<{ proposal: { id: string } }>(`/api/evaluations/${scenario.slug}/proposals`, { ...custom, title: "t", deadline: inDays(server.clock, 2) });
  const url = `/api/evaluations/${scenario.slug}/proposals/${created.body.proposal.id}`;
  assert.equal((await a!.put(`${url}/ballot`, { choice: "yes" })).status, 200);
  assert.equal((await b!.put(`${url}/ballot`, { choice: "yes" })).status, 200);
  assert.equal((await b!.put(`${url}/ballot`, { choice: "no" })).status, 200);
  const early = await a!.post(`${url}/close`);
  assert.equal(early.status, 409);
  server.clock.advance(2 * DAY + 1000);
  const before = await rowCounts(server.pool);
  const late = await a!.put(`${url}/ballot`, { choice: "no" });
  assert.equal(late.status, 409);
  assert.equal((late.body as { code: string }).code, "deadline_passed");
  assert.deepEqual(await rowCounts(server.pool), before, "the refused ballot wrote nothing");
  const read = await a!.get<{ proposal: { status: string; rejectionReason: string; tally: { yes: number; no: number } } }>(url);
  assert.equal(read.body.proposal.status, "rejected", "closed lazily when read");
  assert.equal(read.body.proposal.rejectionReason, "tie");
  assert.deepEqual([read.body.proposal.tally.yes, read.body.proposal.tally.no], [1, 1]);
});

test("only a passed amend_charter creates a charter version; contributions keep theirs; new scopes are opt-in only", async () => {
  const { scenario, people } = await setting("majority", 2);
  const [a, b] = people;
  const patch = await scenario.organiser.patch(`/api/evaluations/${scenario.slug}`, { charter: { purpose: "x", sponsor: "y" } });
  assert.equal(patch.status, 400);
  const amended = { purpose: "Which assistant answers residents best?", sponsor: "City of Example", scopes: ["aggregate", "publish", "research", "train_ai"] };
  const p = await decide(server, scenario, a!, { kind: "amend_charter", payload: { charter: amended } }, [[a!, "yes"], [b!, "yes"]]);
  assert.equal(p.status, "passed");
  assert.deepEqual(p.effect, { charterVersion: 2 });
  const evaluation = await a!.get<{ charterVersions: { version: number }[]; charter: { content: { scopes: string[] } } }>(`/api/evaluations/${scenario.slug}`);
  assert.deepEqual(evaluation.body.charterVersions.map((v) => v.version), [1, 2]);
  const me = await a!.get<{ consent: { scopes: string[]; charterVersion: number } }>(`/api/evaluations/${scenario.slug}/me`);
  assert.deepEqual(me.body.consent.scopes, ["aggregate"], "no scope granted retroactively");
  assert.equal(me.body.consent.charterVersion, 1);
  const optIn = await b!.put<{ charterVersion: number }>(`/api/evaluations/${scenario.slug}/consent`, { scopes: ["aggregate", "train_ai"] });
  assert.equal(optIn.status, 200);
  assert.equal(optIn.body.charterVersion, 2);
});

test("bad proposals change nothing: impossible deadline, unknown kind, amendment below the pay floor", async () => {
  const { scenario, people } = await setting("majority", 1);
  const before = await rowCounts(server.pool);
  const past = await people[0]!.post(`/api/evaluations/${scenario.slug}/proposals`, { ...custom, title: "t", deadline: new Date(server.clock.now().getTime() - DAY).toISOString() });
  assert.equal(past.status, 400);
  assert.equal((past.body as { field: string }).field, "deadline");
  assert.match(past.contentType, /application\/problem\+json/);
  const far = await people[0]!.post(`/api/evaluations/${scenario.slug}/proposals`, { ...custom, title: "t", deadline: inDays(server.clock, 400) });
  assert.equal(far.status, 400);
  const unknown = await people[0]!.post(`/api/evaluations/${scenario.slug}/proposals`, { kind: "abolish_sponsor", title: "t", deadline: inDays(server.clock, 2) });
  assert.equal(unknown.status, 400);
  const underpaid = await people[0]!.post(`/api/evaluations/${scenario.slug}/proposals`, {
    kind: "amend_charter",
    title: "t",
    deadline: inDays(server.clock, 2),
    payload: { charter: { purpose: "p", sponsor: "s", pay: { ratePerHour: 5, currency: "USD", volunteer: false } } },
  });
  assert.equal(underpaid.status, 400);
  assert.equal((underpaid.body as { field: string }).field, "payload.charter.pay.ratePerHour");
  assert.deepEqual(await rowCounts(server.pool), before);
});
