import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { Client, rowCounts, signUp } from "../../support/server.ts";
import { joinAs, judgeOnce, openEvaluation, participants, startPowerServer, type PowerServer } from "../../support/power-harness.ts";

let server: PowerServer;
before(async () => {
  server = await startPowerServer();
});
after(async () => server.close());

/** Sets every judged assignment of a participant to a known serve → submit span. */
async function setSessionMinutes(slug: string, minutes: number[]): Promise<void> {
  const { rows } = await server.pool.query<{ token: string }>(
    "SELECT a.token FROM assignments a JOIN evaluations e ON e.id = a.evaluation_id WHERE e.slug = $1 AND a.judged_at IS NOT NULL ORDER BY a.served_at",
    [slug],
  );
  assert.equal(rows.length, minutes.length);
  for (const [index, row] of rows.entries()) {
    await server.pool.query("UPDATE assignments SET judged_at = served_at + make_interval(mins => $2) WHERE token = $1", [row.token, minutes[index]]);
  }
}

test("a charter paying below the floor is refused unless declared voluntary", async () => {
  const organiser = await signUp(server.baseUrl);
  const before = await rowCounts(server.pool);
  const base = { title: "t", charter: { purpose: "p", sponsor: "s" } };
  const low = await organiser.post("/api/evaluations", { ...base, slug: `low-${Date.now()}`, charter: { ...base.charter, pay: { ratePerHour: 11.99, currency: "USD", volunteer: false } } });
  assert.equal(low.status, 400);
  assert.equal((low.body as { field: string }).field, "charter.pay.ratePerHour");
  assert.match(low.contentType, /problem\+json/);
  assert.deepEqual(await rowCounts(server.pool), before);
  const fair = await organiser.post("/api/evaluations", { ...base, slug: `fair-${Date.now()}`, charter: { ...base.charter, pay: { ratePerHour: 12, currency: "USD", volunteer: false } } });
  assert.equal(fair.status, 201);
  const volunteer = await organiser.post("/api/evaluations", { ...base, slug: `vol-${Date.now()}`, charter: { ...base.charter, pay: { ratePerHour: 0, currency: "USD", volunteer: true } } });
  assert.equal(volunteer.status, 201);
});

test("pay owed = rate × measured time (idle capped), payouts recorded and listed", async () => {
  const scenario = await openEvaluation(server.baseUrl, { pay: { ratePerHour: 15, currency: "USD", volunteer: false }, idleCapMinutes: 10 });
  const worker = await joinAs(server.baseUrl, scenario);
  await judgeOnce(worker, scenario.slug);
  await judgeOnce(worker, scenario.slug);
  await setSessionMinutes(scenario.slug, [6, 30]);
  // 6 + min(30, 10) = 16 minutes at 15.00/h = 4.00 = 400 cents; 20 minutes capped away
  const mine = await worker.get<{ account: { owedMinor: number; paidMinor: number; outstandingMinor: number }; tasks: number; cappedMs: number; ratePerHour: number }>(`/api/evaluations/${scenario.slug}/me/labour`);
  assert.equal(mine.status, 200);
  assert.deepEqual([mine.body.tasks, mine.body.ratePerHour, mine.body.account.owedMinor, mine.body.cappedMs], [2, 1500, 400, 20 * 60_000]);
  const me = await worker.get<{ participant: { pseudonym: string } }>(`/api/evaluations/${scenario.slug}/me`);
  assert.equal((await worker.post(`/api/evaluations/${scenario.slug}/payouts`, { participant: me.body.participant.pseudonym, amountMinor: 150 })).status, 403);
  const paid = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/payouts`, { participant: me.body.participant.pseudonym, amountMinor: 150, note: "bank transfer" });
  assert.equal(paid.status, 201, JSON.stringify(paid.body));
  const after = await worker.get<{ account: { paidMinor: number; outstandingMinor: number }; payouts: { amountMinor: number }[] }>(`/api/evaluations/${scenario.slug}/me/labour`);
  assert.deepEqual([after.body.account.paidMinor, after.body.account.outstandingMinor, after.body.payouts.length], [150, 250, 1]);
  const ledger = await scenario.organiser.get<{ ledger: { participant: string; owedMinor: number }[] }>(`/api/evaluations/${scenario.slug}/labour/ledger`);
  assert.deepEqual(ledger.body.ledger.map((l) => [l.participant, l.owedMinor]), [[me.body.participant.pseudonym, 400]]);
  // one worker: the public totals would be that person's own hours and pay, so below k they are withheld
  type Totals = { account: { owedMinor: number; paidMinor: number } | null; workers: number | null; tasks: number | null; suppressed: { reason: string; k: number } | null };
  const publicView = await new Client(server.baseUrl).get<Totals>(`/api/evaluations/${scenario.slug}/labour`);
  assert.equal(publicView.status, 200);
  assert.deepEqual([publicView.body.account, publicView.body.workers, publicView.body.tasks, publicView.body.suppressed?.reason], [null, null, null, "fewer_than_k_contributors"]);
  const otherParticipant = await joinAs(server.baseUrl, scenario);
  assert.equal((await otherParticipant.get<Totals>(`/api/evaluations/${scenario.slug}/labour`)).body.account, null, "another participant does not learn the worker's pay either");
  const organiserView = await scenario.organiser.get<Totals>(`/api/evaluations/${scenario.slug}/labour`);
  assert.deepEqual([organiserView.body.account?.owedMinor, organiserView.body.account?.paidMinor, organiserView.body.workers, organiserView.body.suppressed], [400, 150, 1, null]);
  const card = await new Client(server.baseUrl).get<{ card: { labour: { totals: unknown; suppressed: { k: number } | null } } }>(`/api/evaluations/${scenario.slug}/card`);
  assert.equal(card.status, 200);
  assert.equal(card.body.card.labour.totals, null, "the public card withholds them too");
  assert.ok(card.body.card.labour.suppressed);
});

test("labour totals are public over whole blocks of k workers, so a newcomer's own figures are never the difference of two totals", async () => {
  const scenario = await openEvaluation(server.baseUrl, { pay: { ratePerHour: 15, currency: "USD", volunteer: false }, kAnonymity: 2 });
  type View = { workers: number | null; tasks: number | null; suppressed: unknown };
  const view = async () => (await new Client(server.baseUrl).get<View>(`/api/evaluations/${scenario.slug}/labour`)).body;
  for (let i = 0; i < 2; i++) await judgeOnce(await joinAs(server.baseUrl, scenario), scenario.slug);
  const two = await view();
  assert.deepEqual([two.workers, two.tasks, two.suppressed], [2, 2, null]);
  const card = await new Client(server.baseUrl).get<{ card: { labour: { totals: { workers: number } | null } } }>(`/api/evaluations/${scenario.slug}/card`);
  assert.equal(card.body.card.labour.totals?.workers, 2);
  // a third worker: the published totals do not move, so they do not give the newcomer's task away
  await judgeOnce(await joinAs(server.baseUrl, scenario), scenario.slug);
  assert.deepEqual(await view(), two);
  assert.equal((await scenario.organiser.get<View>(`/api/evaluations/${scenario.slug}/labour`)).body.workers, 3, "the organiser sees every worker");
  // a fourth completes the next block: two newcomers enter the totals together
  await judgeOnce(await joinAs(server.baseUrl, scenario), scenario.slug);
  const four = await view();
  assert.deepEqual([four.workers, four.tasks], [4, 4]);
});

test("volunteer work is reported as unpaid hours and valued at the floor", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const worker = await joinAs(server.baseUrl, scenario);
  await judgeOnce(worker, scenario.slug);
  await setSessionMinutes(scenario.slug, [9]);
  const mine = await worker.get<{ volunteer: boolean; account: { owedMinor: number; unpaidHours: number; valueAtFloorMinor: number } }>(`/api/evaluations/${scenario.slug}/me/labour`);
  // 9 minutes at the 12.00 USD/h floor = 1.80 = 180 cents
  assert.deepEqual([mine.body.volunteer, mine.body.account.owedMinor, mine.body.account.unpaidHours, mine.body.account.valueAtFloorMinor], [true, 0, 0.15, 180]);
});

test("sponsor ratings are published only from k raters; community groups below k never appear on the card", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const a = await joinAs(server.baseUrl, scenario, ["aggregate"], ["tenants"]);
  const b = await joinAs(server.baseUrl, scenario, ["aggregate"], ["tenants"]);
  await joinAs(server.baseUrl, scenario, ["aggregate"], ["wheelchair users"]);
  const bad = await a.put(`/api/evaluations/${scenario.slug}/me/sponsor-rating`, { communication: 6, pay: 1, fairness: 1, promptness: 1 });
  assert.equal(bad.status, 400);
  assert.equal((await a.put(`/api/evaluations/${scenario.slug}/me/sponsor-rating`, { communication: 4, pay: 1, fairness: 2, promptness: 5 })).status, 200);
  const one = await scenario.organiser.get<{ sponsorRatings: { status: string } }>(`/api/evaluations/${scenario.slug}/labour`);
  assert.deepEqual(one.body.sponsorRatings, { status: "suppressed", k: 2 });
  await b.put(`/api/evaluations/${scenario.slug}/me/sponsor-rating`, { communication: 2, pay: 3, fairness: 2, promptness: 5 });
  const two = await scenario.organiser.get<{ sponsorRatings: { status: string; raters: number; dimensions: { communication: { mean: number }; pay: { median: number } } } }>(`/api/evaluations/${scenario.slug}/labour`);
  assert.deepEqual([two.body.sponsorRatings.status, two.body.sponsorRatings.raters, two.body.sponsorRatings.dimensions.communication.mean, two.body.sponsorRatings.dimensions.pay.median], ["shown", 2, 3, 2]);
  const card = await scenario.organiser.get<{ card: { participation: { communities: { key: string; count: number }[]; communitiesHidden: number } } }>(`/api/evaluations/${scenario.slug}/card`);
  // the wheelchair users' group of one is below k; tenants (2 of 3) are hidden too, or 3 − 2 would give it away
  assert.deepEqual(card.body.card.participation.communities, []);
  assert.equal(card.body.card.participation.communitiesHidden, 2);
  const markdown = await scenario.organiser.get<string>(`/api/evaluations/${scenario.slug}/card?format=markdown`);
  assert.ok(!markdown.body.includes("wheelchair"), "the small group is not in the Markdown card either");
});

test("a sponsor rating counts in the public summary only while its author's consent covers aggregate", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const consenting = await joinAs(server.baseUrl, scenario, ["aggregate"]);
  const withholding = await joinAs(server.baseUrl, scenario, null);
  const later = await joinAs(server.baseUrl, scenario, ["aggregate"]);
  const rate = (client: Client, score: number) => client.put(`/api/evaluations/${scenario.slug}/me/sponsor-rating`, { communication: score, pay: score, fairness: score, promptness: score });
  const summary = async () => (await new Client(server.baseUrl).get<{ sponsorRatings: { status: string; raters?: number; dimensions?: { pay: { mean: number } } } }>(`/api/evaluations/${scenario.slug}/labour`)).body.sponsorRatings;
  assert.equal((await rate(consenting, 5)).status, 200);
  // recorded, as every participant may rate the sponsor, but not counted: two ratings, one of them usable
  assert.equal((await rate(withholding, 1)).status, 200);
  assert.deepEqual(await summary(), { status: "suppressed", k: 2 });
  assert.equal((await rate(later, 3)).status, 200);
  const shown = await summary();
  assert.deepEqual([shown.status, shown.raters, shown.dimensions?.pay.mean], ["shown", 2, 4]);
  // revoking reaches back: the rating leaves the summary (and k suppresses what is left)
  assert.equal((await later.post(`/api/evaluations/${scenario.slug}/consent/revoke`, {})).status, 200);
  assert.deepEqual(await summary(), { status: "suppressed", k: 2 });
});

test("an organiser cannot change the data uses of existing contributions through any route", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const a = await joinAs(server.baseUrl, scenario, ["aggregate"]);
  await judgeOnce(a, scenario.slug);
  const before = await rowCounts(server.pool);
  const scopesBefore = await server.pool.query("SELECT consent_scopes FROM judgments ORDER BY id");
  const attempts: [Promise<{ status: number }>, number][] = [
    [scenario.organiser.put(`/api/evaluations/${scenario.slug}/consent`, { scopes: ["aggregate", "publish"] }), 403],
    [scenario.organiser.post(`/api/evaluations/${scenario.slug}/consent/revoke`, {}), 403],
    [scenario.organiser.patch(`/api/evaluations/${scenario.slug}`, { charter: { scopes: ["aggregate", "commercial"] } }), 400],
    [scenario.organiser.request("PATCH", `/api/evaluations/${scenario.slug}/charter`, { scopes: ["commercial"] }), 404],
    [scenario.organiser.request("PATCH", `/api/evaluations/${scenario.slug}/judgments`, { consentScopes: ["commercial"] }), 404],
  ];
  for (const [pending, status] of attempts) assert.equal((await pending).status, status);
  assert.deepEqual(await rowCounts(server.pool), before);
  assert.deepEqual((await server.pool.query("SELECT consent_scopes FROM judgments ORDER BY id")).rows, scopesBefore.rows);
});

test("the card counts the data, as JSON, Markdown and through the CLI", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const people = await participants(server.baseUrl, scenario, 3, ["aggregate", "research"]);
  for (const person of people) await judgeOnce(person, scenario.slug);
  await people[0]!.post(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["research"] });
  await scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports`, { scope: "research", recipient: "Lab", purpose: "p" });
  const res = await new Client(server.baseUrl).get<{ card: { participation: { participants: number; judgments: number }; consent: { scopes: { scope: string; granted: number }[]; revocations: number }; exports: { rows: number }[]; results: { rule: string }[] } }>(
    `/api/evaluations/${scenario.slug}/card`,
  );
  assert.equal(res.status, 200);
  const card = res.body.card;
  assert.deepEqual([card.participation.participants, card.participation.judgments, card.consent.revocations], [3, 3, 1]);
  assert.deepEqual(card.consent.scopes, [{ scope: "aggregate", granted: 3 }, { scope: "publish", granted: 0 }, { scope: "research", granted: 2 }]);
  assert.deepEqual(card.exports.map((e) => e.rows), [2]);
  assert.ok(!card.results.some((r) => r.rule === "bt"), "three people are below k = 10: no rule result on the card");
  const markdown = await new Client(server.baseUrl).get<string>(`/api/evaluations/${scenario.slug}/card?format=markdown`);
  assert.match(markdown.contentType, /text\/markdown/);
  for (const heading of ["## Charter", "## Consent", "## Labour", "## Exports", "## Dissent"]) assert.ok(markdown.body.includes(heading), heading);
  const cli = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "card", scenario.slug, "--json"], { env: { ...process.env, DATABASE_URL: server.url }, encoding: "utf8" });
  assert.equal(cli.status, 0, cli.stderr);
  const fromCli = JSON.parse(cli.stdout) as { card: { participation: { judgments: number } } };
  assert.equal(fromCli.card.participation.judgments, 3);
  const missing = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "card", "no-such-evaluation"], { env: { ...process.env, DATABASE_URL: server.url }, encoding: "utf8" });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no evaluation/);
});
