/** A test server whose services read an adjustable clock, so deadlines can pass without waiting. */
import assert from "node:assert/strict";
import { joinAs, openEvaluation, type Scenario } from "./scenario.ts";
import { startTestServer, type Client, type TestServer } from "./server.ts";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Clock {
  now: () => Date;
  advance: (ms: number) => void;
}

export function adjustableClock(): Clock {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => (offset += ms) };
}

export type PowerServer = TestServer & { clock: Clock };

export async function startPowerServer(): Promise<PowerServer> {
  const clock = adjustableClock();
  return { ...(await startTestServer({ now: clock.now })), clock };
}

/** Casts one pairwise judgment through an assignment; returns the judgment id. */
export async function judgeOnce(client: Client, slug: string, outcome = "a"): Promise<string> {
  const view = await client.post<{ token: string }>(`/api/evaluations/${slug}/assignments`, { mode: "pairwise" });
  assert.equal(view.status, 201, JSON.stringify(view.body));
  const judged = await client.post<{ judgment: { id: string } }>(`/api/evaluations/${slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "pairwise", outcome } });
  assert.equal(judged.status, 201, JSON.stringify(judged.body));
  return judged.body.judgment.id;
}

export async function participants(baseUrl: string, scenario: Scenario, n: number, scopes: string[] = ["aggregate"]): Promise<Client[]> {
  const joined: Client[] = [];
  for (let i = 0; i < n; i++) joined.push(await joinAs(baseUrl, scenario, scopes));
  return joined;
}

export function inDays(clock: Clock, days: number): string {
  return new Date(clock.now().getTime() + days * DAY).toISOString();
}

export interface ProposalView {
  id: string;
  status: string;
  rejectionReason: string | null;
  tally: { yes: number; no: number; abstain: number; object: number; cast: number; eligible: number; quorumNeeded: number } | null;
  effect: Record<string, unknown> | null;
}

/** Proposes, lets `votes` be cast, moves the clock past the deadline and closes; returns the closed proposal. */
export async function decide(
  server: { clock: Clock },
  scenario: Scenario,
  proposer: Client,
  proposal: Record<string, unknown>,
  votes: [Client, string, string?][],
): Promise<ProposalView> {
  const created = await proposer.post<{ proposal: ProposalView }>(`/api/evaluations/${scenario.slug}/proposals`, { title: "A proposal", deadline: inDays(server.clock, 2), ...proposal });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  for (const [voter, choice, reason] of votes) {
    const cast = await voter.put(`/api/evaluations/${scenario.slug}/proposals/${created.body.proposal.id}/ballot`, { choice, ...(reason ? { reason } : {}) });
    assert.equal(cast.status, 200, JSON.stringify(cast.body));
  }
  server.clock.advance(3 * DAY);
  const closed = await proposer.post<{ proposal: ProposalView }>(`/api/evaluations/${scenario.slug}/proposals/${created.body.proposal.id}/close`);
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  return closed.body.proposal;
}

export { openEvaluation, joinAs };
