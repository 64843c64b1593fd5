/**
 * The stored opinion map (migration 0012): updated when due, not per request; two app instances (two pools
 * on one database) updating at once write one update, the other serves it; the history has each update once.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { updateOpinionMap } from "../../../src/analytics/opinion/update.ts";
import { storedOrUpdatedOpinion, loadConversation, opinionComputations } from "../../../src/modules/deliberation/opinion-service.ts";
import { advanceStoredOpinion, opinionMapHistory, readStoredOpinion } from "../../../src/modules/deliberation/opinion-state-queries.ts";
import { createPool, type Pool } from "../../../src/platform/db/pool.ts";
import { requireEvaluation } from "../../../src/platform/guards.ts";
import type { EvaluationRow } from "../../../src/platform/records.ts";
import { fixturePath } from "../../analytics/fixtures.ts";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let second: Pool;
let scenario: Scenario;
let evaluation: EvaluationRow;
before(async () => {
  server = await startTestServer();
  second = createPool(server.url, 3);
  scenario = await openEvaluation(server.baseUrl, { kAnonymity: 3 });
  const read = (file: string) => gunzipSync(readFileSync(fixturePath(`polis/bg2050-volunteers/${file}.gz`))).toString("utf8");
  const imported = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/statements/import`, { comments: read("comments.csv"), votes: read("votes.csv"), consentScopes: ["aggregate"] });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  evaluation = await requireEvaluation(server.pool, scenario.slug);
});
after(async () => {
  await second.end();
  await server.close();
});

interface OpinionView {
  available: true;
  update: { version: number; computedAt: string; votes: number; votesSince: number };
  history: { version: number; votes: number; groupCount: number; sizesWithheld: boolean; groups: { id: number; participants: number | null }[] }[];
  groups: { id: number; suppressed: boolean; reason?: string; participants?: number }[];
}

const groupsOf = (r: Awaited<ReturnType<typeof storedOrUpdatedOpinion>>) => r.result.map?.groups.map((g) => [g.id, [...g.participants].sort()]);

test("two instances updating at once: one update is written, both serve it; then compare-and-set lets exactly one writer advance a version", async (t) => {
  const computed = opinionComputations.count;
  const [a, b] = await Promise.all([storedOrUpdatedOpinion({ pool: server.pool }, evaluation), storedOrUpdatedOpinion({ pool: second }, evaluation)]);
  assert.equal(a.update?.version, 1);
  assert.equal(b.update?.version, 1);
  assert.deepEqual(groupsOf(a), groupsOf(b), "the loser serves the winner's map");
  const stored = await readStoredOpinion(server.pool, evaluation.id);
  assert.deepEqual(stored?.map.groups.map((g) => [g.id, [...g.participants].sort()]), groupsOf(a));
  assert.deepEqual((await opinionMapHistory(server.pool, evaluation.id)).map((h) => h.version), [1], "one history row");
  t.diagnostic(`${opinionComputations.count - computed} of the 2 instances computed an update; 1 was written`);
  assert.ok(opinionComputations.count - computed >= 1);

  // two writers that both read version 1 race to write version 2 from different pools
  const { conversation } = await loadConversation(server.pool, evaluation);
  const next = updateOpinionMap(conversation, stored!.state, { seed: 1 });
  const candidate = (computedAt: Date) => ({ version: 2, computedAt, votes: conversation.votes.length, inputsDigest: stored!.inputsDigest, state: next.state, map: next.map });
  const wins = await Promise.all([
    advanceStoredOpinion(server.pool, evaluation.id, 1, candidate(new Date(Date.UTC(2030, 0, 1)))),
    advanceStoredOpinion(second, evaluation.id, 1, candidate(new Date(Date.UTC(2031, 0, 1)))),
  ]);
  assert.equal(wins.filter(Boolean).length, 1, `exactly one writer wins: ${wins}`);
  const history = await opinionMapHistory(server.pool, evaluation.id);
  assert.deepEqual(history.map((h) => h.version), [1, 2]);
  const winnerYear = wins[0] ? 2030 : 2031;
  assert.equal(history[1]!.computedAt.getUTCFullYear(), winnerYear, "the history row is the winner's");
  assert.equal((await readStoredOpinion(second, evaluation.id))?.computedAt.getUTCFullYear(), winnerYear);
  assert.equal(await advanceStoredOpinion(second, evaluation.id, 1, candidate(new Date())), false, "a stale writer changes nothing");
  assert.equal((await opinionMapHistory(server.pool, evaluation.id)).length, 2);
});

test("a few new votes do not update the map (requests read the stored one and say how many votes came since); a moderation decision does, once for both instances", async () => {
  const view = async () => (await new Client(server.baseUrl).get<OpinionView>(`/api/evaluations/${scenario.slug}/opinion`)).body;
  const before = await view();
  const statements = (await server.pool.query<{ id: string }>("SELECT id FROM statements WHERE evaluation_id = $1 AND moderation = 'accepted' ORDER BY seq LIMIT 5", [evaluation.id])).rows;
  const voter = await joinAs(server.baseUrl, scenario, ["aggregate"]);
  for (const st of statements) assert.equal((await voter.put(`/api/evaluations/${scenario.slug}/statements/${st.id}/vote`, { vote: "agree" })).status, 200);
  const after = await view();
  assert.equal(after.update.version, before.update.version, "5 new votes are below the threshold");
  assert.equal(after.update.votesSince, before.update.votesSince + 5);
  assert.deepEqual(after.groups, before.groups);
  assert.deepEqual(after.history.map((h) => h.version), before.history.map((h) => h.version));
  for (const h of after.history) {
    assert.equal(h.groups.length, h.groupCount);
    assert.ok(h.groups.every((g) => g.participants === null || g.participants >= 3), "no size below k in the history");
  }

  await server.pool.query("UPDATE statements SET moderation = 'rejected' WHERE id = $1", [statements[0]!.id]);
  const [a, b] = await Promise.all([storedOrUpdatedOpinion({ pool: server.pool }, evaluation), storedOrUpdatedOpinion({ pool: second }, evaluation)]);
  assert.equal(a.update?.version, before.update.version + 1);
  assert.equal(b.update?.version, before.update.version + 1);
  assert.deepEqual(groupsOf(a), groupsOf(b));
  const versions = (await opinionMapHistory(server.pool, evaluation.id)).map((h) => h.version);
  assert.deepEqual(versions, Array.from({ length: before.update.version + 1 }, (_, i) => i + 1), "each update once, none lost");
  const published = await view();
  assert.equal(published.update.version, before.update.version + 1);
  assert.equal(published.update.votesSince, 0);

  const card = await scenario.organiser.get<{ card: { opinion: { update: number; votes: number; groupCount: number; groups: { participants: number | null }[] } | null } }>(`/api/evaluations/${scenario.slug}/card`);
  assert.equal(card.status, 200, JSON.stringify(card.body));
  assert.equal(card.body.card.opinion?.update, published.update.version, "the card says which update it reports");
  assert.equal(card.body.card.opinion?.votes, published.update.votes);
  assert.equal(card.body.card.opinion?.groupCount, published.history.at(-1)?.groupCount);
  const markdown = await scenario.organiser.get<string>(`/api/evaluations/${scenario.slug}/card?format=markdown`);
  assert.match(markdown.body, new RegExp(`Update ${published.update.version} of the map`));
});

test("differencing two updates does not tell which group one newcomer joined: that update's sizes are withheld in the history and on the current map", async () => {
  const view = async () => (await new Client(server.baseUrl).get<OpinionView>(`/api/evaluations/${scenario.slug}/opinion`)).body;
  const before = await view();
  const statements = (await server.pool.query<{ id: string }>("SELECT id FROM statements WHERE evaluation_id = $1 AND moderation = 'accepted' ORDER BY seq LIMIT 10", [evaluation.id])).rows;
  const newcomer = await joinAs(server.baseUrl, scenario, ["aggregate"]);
  for (const st of statements) assert.equal((await newcomer.put(`/api/evaluations/${scenario.slug}/statements/${st.id}/vote`, { vote: "disagree" })).status, 200);
  // the update a trickle of votes gets once 10 minutes have passed (updateDue), run at that time
  const stored = await readStoredOpinion(server.pool, evaluation.id);
  const later = new Date(Math.max(Date.now(), stored!.computedAt.getTime()) + 11 * 60_000);
  const updated = await storedOrUpdatedOpinion({ pool: server.pool, now: () => later }, evaluation);
  assert.equal(updated.update?.version, before.update.version + 1);

  // the attack's premise, on the unpublished record: the two updates differ by fewer than k people in a group
  const raw = await opinionMapHistory(server.pool, evaluation.id);
  const [previous, latest] = [raw.at(-2)!, raw.at(-1)!];
  const size = (u: typeof latest, id: number) => u.groupSizes.find((g) => g.id === id)?.participants ?? 0;
  const ids = new Set([...previous.groupSizes, ...latest.groupSizes].map((g) => g.id));
  assert.ok([...ids].some((id) => { const d = Math.abs(size(latest, id) - size(previous, id)); return d > 0 && d < 3; }), `one newcomer moves some group by 1 or 2: ${JSON.stringify([previous.groupSizes, latest.groupSizes])}`);

  const after = await view();
  const entry = after.history.find((h) => h.version === updated.update!.version)!;
  assert.equal(entry.sizesWithheld, true);
  assert.ok(entry.groups.every((g) => g.participants === null), "no size of that update is published");
  assert.ok(after.groups.every((g) => g.suppressed && g.reason === "differencing"), "nor on the current map, which is that update");
  // whatever two published releases an observer subtracts, every group differs by 0 or at least k
  const published = after.history.filter((h) => !h.sizesWithheld);
  for (let i = 1; i < published.length; i++) {
    for (const g of published[i]!.groups) {
      const other = published[i - 1]!.groups.find((o) => o.id === g.id);
      if (g.participants === null || !other || other.participants === null) continue;
      const d = Math.abs(g.participants - other.participants);
      assert.ok(d === 0 || d >= 3, `published sizes of group ${g.id} differ by ${d}`);
    }
  }
  const card = await scenario.organiser.get<{ card: { opinion: { groups: { participants: number | null }[] } | null } }>(`/api/evaluations/${scenario.slug}/card`);
  assert.ok(card.body.card.opinion?.groups.every((g) => g.participants === null), "the card reports the same update, sizes withheld");
});
