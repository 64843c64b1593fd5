/**
 * Integrity: one person, one voice, and identity. Each test is an attack that worked before invitations ran
 * out, participants recorded how they joined, imports got their own namespace and organisers could not be
 * demoted.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, rowCounts, signUp, type ApiResponse } from "../../support/server.ts";
import { DAY, decide, joinAs, openEvaluation, participants, startPowerServer, type PowerServer } from "../../support/power-harness.ts";
import type { Scenario } from "../../support/scenario.ts";

let server: PowerServer;
before(async () => {
  server = await startPowerServer();
});
after(async () => server.close());

interface Problem {
  code: string;
  field?: string;
  detail: string;
}

async function invite(scenario: Scenario, body: Record<string, unknown>): Promise<string> {
  const res = await scenario.organiser.post<{ invitation: { token: string } }>(`/api/evaluations/${scenario.slug}/invitations`, body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.invitation.token;
}

function join(token: string, client = new Client(server.baseUrl)): Promise<ApiResponse> {
  return client.post(`/api/invitations/${token}/join`, {});
}

function assertRefusedInvitation(res: ApiResponse, rule: string): void {
  assert.equal(res.status, 410, JSON.stringify(res.body));
  assert.match(res.contentType, /application\/problem\+json/);
  const problem = res.body as unknown as Problem;
  assert.equal(problem.code, "invitation_invalid");
  assert.equal(problem.field, "token");
  assert.match(problem.detail, new RegExp(rule));
}

/** Joins through a personal (single-use) link of its own and consents. */
async function joinPersonally(scenario: Scenario, scopes = ["aggregate"]): Promise<Client> {
  const token = await invite(scenario, { role: "participant", maxUses: 1 });
  const client = new Client(server.baseUrl);
  assert.equal((await join(token, client)).status, 201);
  assert.equal((await client.put(`/api/evaluations/${scenario.slug}/consent`, { scopes })).status, 200);
  return client;
}

test("three joins through one single-use link: one participant, two 410s, nothing written for the refused ones", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const token = await invite(scenario, { role: "participant", maxUses: 1 });
  const first = await join(token);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal((first.body.participant as { assurance: string }).assurance, "personal_link");
  const before = await rowCounts(server.pool);
  for (const attempt of [await join(token), await join(token)]) {
    assertRefusedInvitation(attempt, "used_up");
    assert.equal(attempt.body.participant, undefined);
  }
  assert.deepEqual(await rowCounts(server.pool), before, "no account, session or participant for a refused join");
});

test("a multi-use link past its max uses is refused; a revoked link admits nobody", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const token = await invite(scenario, { role: "participant", maxUses: 2 });
  assert.equal((await join(token)).status, 201);
  assert.equal((await join(token)).status, 201);
  const before = await rowCounts(server.pool);
  assertRefusedInvitation(await join(token), "used_up");
  assert.deepEqual(await rowCounts(server.pool), before);

  const other = await invite(scenario, { role: "participant" });
  const revoked = await scenario.organiser.post<{ invitation: { status: string } }>(`/api/evaluations/${scenario.slug}/invitations/${other}/revoke`);
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
  assert.equal(revoked.body.invitation.status, "revoked");
  const afterRevoke = await rowCounts(server.pool);
  assertRefusedInvitation(await join(other), "revoked");
  assert.deepEqual(await rowCounts(server.pool), afterRevoke);
});

test("an expired link is refused; an expiry in the past cannot be set", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const past = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/invitations`, { role: "participant", expiresAt: new Date(server.clock.now().getTime() - DAY).toISOString() });
  assert.equal(past.status, 400);
  assert.equal((past.body as unknown as Problem).field, "expiresAt");
  const token = await invite(scenario, { role: "participant", expiresAt: new Date(server.clock.now().getTime() + DAY).toISOString() });
  server.clock.advance(2 * DAY);
  const before = await rowCounts(server.pool);
  assertRefusedInvitation(await join(token), "expired");
  assert.deepEqual(await rowCounts(server.pool), before);
});

test("ten concurrent joins racing for a 3-use link: exactly 3 succeed, the others leave nothing behind", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const token = await invite(scenario, { role: "participant", maxUses: 3 });
  const before = await rowCounts(server.pool);
  const results = await Promise.all(Array.from({ length: 10 }, () => join(token)));
  assert.equal(results.filter((r) => r.status === 201).length, 3, JSON.stringify(results.map((r) => r.status)));
  for (const refused of results.filter((r) => r.status !== 201)) assertRefusedInvitation(refused, "used_up");
  const afterRace = await rowCounts(server.pool);
  assert.equal(afterRace.participants, (before.participants ?? 0) + 3);
  assert.equal(afterRace.user, (before.user ?? 0) + 3, "refused joins keep no anonymous account");
  const { rows } = await server.pool.query<{ uses: number }>("SELECT uses FROM invitations WHERE token = $1", [token]);
  assert.equal(rows[0]?.uses, 3);
});

test("a minority report signed from three anonymous open-link accounts is recorded but does not reach the threshold under personal_link assurance", async () => {
  const scenario = await openEvaluation(server.baseUrl, { identityAssurance: "personal_link", governance: { minorityReportSignatures: 3 } });
  const [author, second, third] = await participants(server.baseUrl, scenario, 3);
  const written = await author!.post<{ report: { id: string; status: string; signers: number; counted: boolean; notCountedReason: string } }>(
    `/api/evaluations/${scenario.slug}/minority-reports`,
    { title: "Signed by 3", text: "One person in three windows." },
  );
  assert.equal(written.status, 201);
  assert.equal(written.body.report.counted, false);
  assert.equal(written.body.report.notCountedReason, "assurance_too_low");
  const url = `/api/evaluations/${scenario.slug}/minority-reports/${written.body.report.id}/signatures`;
  for (const signer of [second!, third!]) {
    const signed = await signer.post<{ report: { status: string; signers: number; recordedSigners: number; counted: boolean } }>(url);
    assert.equal(signed.status, 201, "the signature is recorded");
    assert.equal(signed.body.report.counted, false);
  }
  const listed = await new Client(server.baseUrl).get<{ reports: { status: string; signers: number; recordedSigners: number }[] }>(`/api/evaluations/${scenario.slug}/minority-reports`);
  assert.deepEqual([listed.body.reports[0]!.status, listed.body.reports[0]!.signers, listed.body.reports[0]!.recordedSigners], ["gathering", 0, 3]);

  // The same threshold is reachable by three people with personal links.
  const [p1, p2, p3] = [await joinPersonally(scenario), await joinPersonally(scenario), await joinPersonally(scenario)];
  const real = await p1.post<{ report: { id: string; counted: boolean } }>(`/api/evaluations/${scenario.slug}/minority-reports`, { title: "Real", text: "Three people." });
  assert.equal(real.body.report.counted, true);
  const realUrl = `/api/evaluations/${scenario.slug}/minority-reports/${real.body.report.id}/signatures`;
  assert.equal((await p2.post(realUrl)).status, 201);
  const published = await p3.post<{ report: { status: string; signers: number } }>(realUrl);
  assert.deepEqual([published.body.report.status, published.body.report.signers], ["published", 3]);
});

test("an open-link ballot is recorded with counted: false and left out of the quorum under personal_link assurance", async () => {
  const scenario = await openEvaluation(server.baseUrl, { identityAssurance: "personal_link", governance: { quorum: 0.5 } });
  const [anon] = await participants(server.baseUrl, scenario, 1);
  const real = [await joinPersonally(scenario), await joinPersonally(scenario)];
  const created = await real[0]!.post<{ proposal: { id: string } }>(`/api/evaluations/${scenario.slug}/proposals`, {
    kind: "custom",
    title: "t",
    deadline: new Date(server.clock.now().getTime() + 2 * DAY).toISOString(),
  });
  const ballot = await anon!.put<{ ballot: { counted: boolean; notCountedReason: string } }>(`/api/evaluations/${scenario.slug}/proposals/${created.body.proposal.id}/ballot`, { choice: "yes" });
  assert.equal(ballot.status, 200);
  assert.deepEqual([ballot.body.ballot.counted, ballot.body.ballot.notCountedReason], [false, "assurance_too_low"]);
  const counted = await real[0]!.put<{ ballot: { counted: boolean } }>(`/api/evaluations/${scenario.slug}/proposals/${created.body.proposal.id}/ballot`, { choice: "yes" });
  assert.equal(counted.body.ballot.counted, true);
  server.clock.advance(3 * DAY);
  const closed = await real[0]!.post<{ proposal: { status: string; tally: { cast: number; eligible: number; quorumNeeded: number } } }>(
    `/api/evaluations/${scenario.slug}/proposals/${created.body.proposal.id}/close`,
  );
  assert.equal(closed.body.proposal.status, "passed");
  assert.deepEqual([closed.body.proposal.tally.cast, closed.body.proposal.tally.eligible, closed.body.proposal.tally.quorumNeeded], [1, 2, 1]);
});

function battles(judges: readonly string[]): string {
  return JSON.stringify(judges.map((judge, i) => ({ model_a: "Alpha-1", model_b: "Beta-2", winner: i % 2 ? "model_a" : "model_b", judge })));
}

test("importing 1,000 pseudo-participants changes neither the quorum needed nor a demand's threshold", async () => {
  const scenario = await openEvaluation(server.baseUrl, { governance: { quorum: 0.5, demandThreshold: 0.5 } });
  const people = await participants(server.baseUrl, scenario, 4);
  const demand = await people[0]!.post<{ demand: { id: string; needed: number } }>(`/api/evaluations/${scenario.slug}/demands`, { title: "Answer us", text: "Please." });
  assert.equal(demand.body.demand.needed, 2);
  const imported = await scenario.organiser.post<{ participants: number }>(`/api/evaluations/${scenario.slug}/imports`, {
    format: "fastchat",
    content: battles(Array.from({ length: 1000 }, (_, i) => `crowd-${i}`)),
  });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  assert.equal(imported.body.participants, 1000);
  const demands = await people[1]!.get<{ demands: { needed: number }[] }>(`/api/evaluations/${scenario.slug}/demands`);
  assert.equal(demands.body.demands[0]!.needed, 2, "the threshold is a share of the people who can endorse");
  const endorsed = await people[1]!.post<{ demand: { status: { status: string } } }>(`/api/evaluations/${scenario.slug}/demands/${demand.body.demand.id}/endorsements`);
  assert.equal(endorsed.body.demand.status.status, "owed");
  const p = await decide(server, scenario, people[0]!, { kind: "withhold_data" }, [[people[0]!, "yes"], [people[1]!, "yes"]]);
  assert.equal(p.status, "passed", JSON.stringify(p));
  assert.deepEqual([p.tally?.eligible, p.tally?.quorumNeeded], [4, 2]);
});

test("an import naming a participant's pseudonym creates a distinct imported participant; their my-data shows nothing new", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const victim = new Client(server.baseUrl);
  const joined = await victim.post<{ participant: { id: string; pseudonym: string } }>(`/api/invitations/${scenario.invitation}/join`, {});
  assert.equal(joined.status, 201);
  await victim.put(`/api/evaluations/${scenario.slug}/consent`, { scopes: ["aggregate"] });
  const before = await victim.get<{ judgments: unknown[] }>(`/api/evaluations/${scenario.slug}/me/judgments`);
  assert.equal(before.status, 200);
  const forged = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/imports`, { format: "fastchat", content: battles([joined.body.participant.pseudonym, joined.body.participant.pseudonym]) });
  assert.equal(forged.status, 201, JSON.stringify(forged.body));
  const after = await victim.get<{ judgments: unknown[] }>(`/api/evaluations/${scenario.slug}/me/judgments`);
  assert.deepEqual(after.body, before.body, "no forged judgment is attached to the real participant");
  const { rows } = await server.pool.query<{ imported: boolean; judgments: number }>(
    `SELECT p.imported, (SELECT count(*)::int FROM judgments j WHERE j.participant_id = p.id) AS judgments
       FROM participants p JOIN evaluations e ON e.id = p.evaluation_id WHERE e.slug = $1 AND p.pseudonym = $2 ORDER BY p.imported`,
    [scenario.slug, joined.body.participant.pseudonym],
  );
  assert.deepEqual(rows, [{ imported: false, judgments: 0 }, { imported: true, judgments: 2 }]);
});

test("signing up from an anonymous session keeps the participant record: /me works and consent can still be revoked", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const person = await joinAs(server.baseUrl, scenario, ["aggregate", "publish"]);
  const me = await person.get<{ participant: { id: string; assurance: string } }>(`/api/evaluations/${scenario.slug}/me`);
  assert.equal(me.body.participant.assurance, "open_link");
  const signedUp = await person.post("/api/auth/sign-up/email", { email: `linked-${Date.now()}@example.org`, password: "correct horse battery", name: "Linked" });
  assert.equal(signedUp.status, 200, JSON.stringify(signedUp.body));
  const again = await person.get<{ participant: { id: string; assurance: string } }>(`/api/evaluations/${scenario.slug}/me`);
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.participant.id, me.body.participant.id);
  assert.equal(again.body.participant.assurance, "verified_account");
  const revoked = await person.post<{ scopes: string[] }>(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["publish"] });
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
  assert.deepEqual(revoked.body.scopes, ["aggregate"]);
});

test("an organiser following an observer or participant invitation stays organiser, and nothing is written", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const observerLink = await invite(scenario, { role: "observer" });
  const before = await rowCounts(server.pool);
  for (const token of [observerLink, scenario.invitation]) {
    const followed = await scenario.organiser.post<{ role: string }>(`/api/invitations/${token}/join`, {});
    assert.equal(followed.status, 201);
    assert.equal(followed.body.role, "organiser");
  }
  assert.deepEqual(await rowCounts(server.pool), before);
  const evaluation = await scenario.organiser.get<{ role: string }>(`/api/evaluations/${scenario.slug}`);
  assert.equal(evaluation.body.role, "organiser");
  assert.equal((await scenario.organiser.patch(`/api/evaluations/${scenario.slug}`, { phase: "deliberate" })).status, 200);
});

test("a participant following an observer link, or an observer a participant link, keeps their standing and nothing is written", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const observerLink = await invite(scenario, { role: "observer" });
  const participant = await joinAs(server.baseUrl, scenario);
  const observer = new Client(server.baseUrl);
  assert.equal((await observer.post(`/api/invitations/${observerLink}/join`, {})).status, 201);
  const before = await rowCounts(server.pool);
  const followed = await participant.post<{ role: string }>(`/api/invitations/${observerLink}/join`, {});
  assert.equal(followed.status, 201);
  assert.equal(followed.body.role, "participant");
  const crossed = await observer.post<{ role: string }>(`/api/invitations/${scenario.invitation}/join`, {});
  assert.equal(crossed.status, 201);
  assert.equal(crossed.body.role, "observer");
  assert.deepEqual(await rowCounts(server.pool), before);
  // the participant was not turned into an observer: they still propose; the observer still may not vote
  const deadline = new Date(server.clock.now().getTime() + 7 * DAY).toISOString();
  assert.equal((await participant.post(`/api/evaluations/${scenario.slug}/proposals`, { kind: "custom", title: "Still a participant", deadline })).status, 201);
  assert.equal((await observer.get(`/api/evaluations/${scenario.slug}/me`)).status, 403);
});

test("one account following an observer link and a participant link at once ends with one standing, not both", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const observerLink = await invite(scenario, { role: "observer" });
  for (let round = 0; round < 6; round++) {
    const person = await signUp(server.baseUrl, `Both ${round}`);
    const answers = await Promise.all([join(observerLink, person), join(scenario.invitation, person), join(observerLink, person), join(scenario.invitation, person)]);
    assert.ok(answers.every((r) => r.status === 201), JSON.stringify(answers.map((r) => r.body)));
    const roles = new Set(answers.map((r) => (r.body as { role: string }).role));
    assert.equal(roles.size, 1, `every join answers with the one standing: ${[...roles].join(", ")}`);
  }
  const { rows } = await server.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM participants p JOIN evaluation_roles r ON r.evaluation_id = p.evaluation_id AND r.user_id = p.user_id
      WHERE p.evaluation_id = (SELECT id FROM evaluations WHERE slug = $1)`,
    [scenario.slug],
  );
  assert.equal(rows[0]?.n, 0, "no account is both observer and participant");
});

test("organisers list links with uses left and get personal links in bulk as CSV; others may not", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  await join(scenario.invitation);
  const listed = await scenario.organiser.get<{ invitations: { token: string; kind: string; maxUses: number; uses: number; usesLeft: number; status: string }[] }>(
    `/api/evaluations/${scenario.slug}/invitations`,
  );
  assert.equal(listed.status, 200);
  const open = listed.body.invitations.find((i) => i.token === scenario.invitation);
  assert.deepEqual([open?.kind, open?.maxUses, open?.uses, open?.usesLeft, open?.status], ["open", 100, 1, 99, "active"], "a new link has a finite default");
  const csv = await scenario.organiser.post<string>(`/api/evaluations/${scenario.slug}/invitations/batch`, { count: 5 });
  assert.equal(csv.status, 201);
  assert.match(csv.contentType, /text\/csv/);
  const lines = csv.body.trim().split("\n");
  assert.equal(lines[0], "link,token,role,expires_at");
  assert.equal(lines.length, 6);
  const token = lines[1]!.split(",")[1]!;
  assert.match(lines[1]!, /^http:\/\/127\.0\.0\.1:\d+\/join\//);
  assert.equal((await join(token)).status, 201);
  assertRefusedInvitation(await join(token), "used_up");

  const stranger = await signUp(server.baseUrl, "Stranger");
  const before = await rowCounts(server.pool);
  assert.equal((await stranger.get(`/api/evaluations/${scenario.slug}/invitations`)).status, 403);
  assert.equal((await stranger.post(`/api/evaluations/${scenario.slug}/invitations/batch`, { count: 5 })).status, 403);
  assert.equal((await stranger.post(`/api/evaluations/${scenario.slug}/invitations/${scenario.invitation}/revoke`)).status, 403);
  const tooMany = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/invitations/batch`, { count: 5000 });
  assert.equal(tooMany.status, 400);
  assert.match((tooMany.body as unknown as Problem).field ?? "", /count$/);
  assert.deepEqual(await rowCounts(server.pool), before);
});
