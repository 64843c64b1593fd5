import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, rowCounts } from "../../support/server.ts";
import { DAY, joinAs, openEvaluation, participants, startPowerServer, type PowerServer } from "../../support/power-harness.ts";

let server: PowerServer;
before(async () => {
  server = await startPowerServer();
});
after(async () => server.close());

interface Report {
  id: string;
  text: string;
  status: string;
  signers: number;
  needed: number;
}

test("a minority report is published verbatim at the signature threshold; nobody signs twice", async () => {
  const scenario = await openEvaluation(server.baseUrl, { governance: { minorityReportSignatures: 3 } });
  const [author, second, third] = await participants(server.baseUrl, scenario, 3);
  const text = "We dissent.\n\n  The ranking ignores *who* was harmed — `verbatim` <b>please</b>.";
  const written = await author!.post<{ report: Report }>(`/api/evaluations/${scenario.slug}/minority-reports`, { title: "Dissent on harm", text });
  assert.equal(written.status, 201, JSON.stringify(written.body));
  assert.deepEqual([written.body.report.status, written.body.report.signers, written.body.report.needed], ["gathering", 1, 2]);
  const url = `/api/evaluations/${scenario.slug}/minority-reports/${written.body.report.id}/signatures`;
  const before = await rowCounts(server.pool);
  const own = await author!.post(url);
  assert.equal(own.status, 409, "writing it counted as signing");
  assert.equal((own.body as { code: string }).code, "already_signed");
  assert.match(own.contentType, /problem\+json/);
  assert.deepEqual(await rowCounts(server.pool), before);
  assert.equal((await second!.post(url)).status, 201);
  const twice = await second!.post(url);
  assert.equal(twice.status, 409);
  const published = await third!.post<{ report: Report }>(url);
  assert.equal(published.body.report.status, "published");
  const listed = await new Client(server.baseUrl).get<{ reports: Report[] }>(`/api/evaluations/${scenario.slug}/minority-reports`);
  assert.equal(listed.body.reports[0]!.text, text, "published verbatim");
});

test("an organiser can neither edit nor hide a minority report: no such route, and the database refuses an update", async () => {
  const scenario = await openEvaluation(server.baseUrl, { governance: { minorityReportSignatures: 1 } });
  const [author] = await participants(server.baseUrl, scenario, 1);
  const text = "The sponsor's framing is wrong.";
  const written = await author!.post<{ report: Report }>(`/api/evaluations/${scenario.slug}/minority-reports`, { title: "Framing", text });
  const id = written.body.report.id;
  const url = `/api/evaluations/${scenario.slug}/minority-reports/${id}`;
  const before = await rowCounts(server.pool);
  const attempts = [
    await scenario.organiser.patch(url, { text: "Nothing to see." }),
    await scenario.organiser.request("DELETE", url),
    await scenario.organiser.put(url, { text: "Nothing to see.", title: "x" }),
    await scenario.organiser.post(`${url}/hide`, {}),
    await scenario.organiser.request("DELETE", `${url}/signatures`),
  ];
  for (const attempt of attempts) assert.equal(attempt.status, 404, JSON.stringify(attempt.body));
  await assert.rejects(server.pool.query("UPDATE minority_reports SET text = 'edited' WHERE id = $1", [id]), /verbatim/);
  assert.deepEqual(await rowCounts(server.pool), before);
  const listed = await scenario.organiser.get<{ reports: Report[] }>(`/api/evaluations/${scenario.slug}/minority-reports`);
  assert.deepEqual(listed.body.reports.map((r) => [r.text, r.status]), [[text, "published"]]);
});

interface DemandView {
  id: string;
  endorsers: number;
  needed: number;
  status: { status: string };
  answer: string | null;
  progress: string;
  milestoneSummary: { total: number; done: number; overdue: string[] };
}

test("a demand past the threshold is owed a public answer, flagged overdue, then answered with tracked progress", async () => {
  const scenario = await openEvaluation(server.baseUrl, { governance: { demandThreshold: 0.5, demandAnswerDays: 7 } });
  const [a, b, c, d] = await participants(server.baseUrl, scenario, 4);
  const made = await a!.post<{ demand: DemandView }>(`/api/evaluations/${scenario.slug}/demands`, { title: "Pay for training time", text: "Reading the charter is work." });
  assert.equal(made.status, 201);
  assert.deepEqual([made.body.demand.status.status, made.body.demand.needed], ["gathering", 2]);
  const url = `/api/evaluations/${scenario.slug}/demands/${made.body.demand.id}`;
  const owed = await b!.post<{ demand: DemandView }>(`${url}/endorsements`);
  assert.equal(owed.body.demand.status.status, "owed");
  assert.equal((await b!.post(`${url}/endorsements`)).status, 409);
  assert.equal((await c!.post(`${url}/endorsements`)).status, 201);
  assert.equal((await d!.post(`${url}/answer`, { answer: "no" })).status, 403, "a participant cannot answer for the sponsor");
  server.clock.advance(8 * DAY);
  const listed = await new Client(server.baseUrl).get<{ demands: DemandView[]; overdue: number }>(`/api/evaluations/${scenario.slug}/demands`);
  assert.equal(listed.body.overdue, 1);
  assert.equal(listed.body.demands[0]!.status.status, "overdue");
  const milestone = await scenario.organiser.post<{ demand: DemandView & { milestones: { id: string }[] } }>(`${url}/milestones`, { title: "Budget line", dueAt: new Date(server.clock.now().getTime() + DAY).toISOString() });
  assert.equal(milestone.status, 201);
  const answered = await scenario.organiser.post<{ demand: DemandView }>(`${url}/answer`, { answer: "We will pay 30 minutes per participant." });
  assert.equal(answered.status, 200);
  assert.deepEqual(answered.body.demand.status, { ...answered.body.demand.status, status: "answered", late: true });
  assert.equal((await scenario.organiser.post(`${url}/answer`, { answer: "changed my mind" })).status, 409, "the answer stays as given");
  assert.equal((await scenario.organiser.post(`${url}/progress`, { status: "in_progress" })).status, 200);
  const back = await scenario.organiser.post(`${url}/progress`, { status: "open" });
  assert.equal(back.status, 409);
  const declined = await scenario.organiser.post(`${url}/progress`, { status: "declined" });
  assert.equal(declined.status, 400, "declining needs a reason");
  server.clock.advance(2 * DAY);
  const late = await new Client(server.baseUrl).get<{ demands: DemandView[] }>(`/api/evaluations/${scenario.slug}/demands`);
  assert.deepEqual(late.body.demands[0]!.milestoneSummary, { total: 1, done: 0, overdue: ["Budget line"] });
  const done = await scenario.organiser.post<{ demand: DemandView }>(`${url}/milestones/${milestone.body.demand.milestones[0]!.id}/done`);
  assert.deepEqual(done.body.demand.milestoneSummary, { total: 1, done: 1, overdue: [] });
});

test("abstentions and contests are counted per item once k distinct people share them; one contester gives no per-subject number", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const a = await joinAs(server.baseUrl, scenario);
  const b = await joinAs(server.baseUrl, scenario);
  const [item0, item1] = scenario.items;
  for (const client of [a, b]) {
    await client.post(`/api/evaluations/${scenario.slug}/items/${item0!.id}/judgments`, { judgment: { kind: "abstention", reason: "not my field" } });
    await client.post(`/api/evaluations/${scenario.slug}/items/${item1!.id}/judgments`, { judgment: { kind: "contest", target: "item", reason: "out of scope" } });
  }
  type Counts = { byItem: { key: string; abstentions: number | null; contests: number | null }[]; bySubject: { key: string; abstentions: number | null; contests: number | null }[] };
  const counts = await new Client(server.baseUrl).get<Counts>(`/api/evaluations/${scenario.slug}/dissent`);
  assert.equal(counts.status, 200);
  assert.equal(counts.body.byItem.find((r) => r.key === item0!.id)?.abstentions, 2);
  assert.equal(counts.body.byItem.find((r) => r.key === item1!.id)?.contests, 2);
  assert.deepEqual(counts.body.bySubject, [], "item-level dissent touches no subject");

  // one person contests the two subjects shown to them: no per-subject number may describe that person
  const view = await a.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
  await a.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "contest", target: "framing", reason: "both unreadable" } });
  const after = await new Client(server.baseUrl).get<Counts>(`/api/evaluations/${scenario.slug}/dissent`);
  assert.deepEqual(after.body.bySubject, [], JSON.stringify(after.body.bySubject));
  assert.ok(after.body.byItem.every((r) => r.contests !== 1 && r.abstentions !== 1), JSON.stringify(after.body.byItem));
});
