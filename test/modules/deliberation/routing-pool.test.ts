/**
 * Statement routing reads the opinion map, and reading it may write an update (on a pooled connection of its
 * own). A request must not hold one pooled connection while it waits for another: once every connection is
 * held so, nothing is ever released (the pool has no timeout) and the whole server stops answering. A pool of
 * one connection is that state reached by a single request.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { nextStatementsFor } from "../../../src/modules/deliberation/routing-service.ts";
import { createPool, type Pool } from "../../../src/platform/db/pool.ts";
import { fixturePath } from "../../analytics/fixtures.ts";
import { joinAs, openEvaluation } from "../../support/scenario.ts";
import { startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let single: Pool;
before(async () => {
  server = await startTestServer();
  single = createPool(server.url, 1);
});
after(async () => {
  // a pool left waiting on itself never ends: the server's shutdown closes its connection
  await Promise.race([single.end(), sleep(1000)]);
  await server.close();
});

test("statement routing when the opinion map is due an update holds one connection at a time", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 3 });
  const read = (file: string) => gunzipSync(readFileSync(fixturePath(`polis/bg2050-volunteers/${file}.gz`))).toString("utf8");
  const imported = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/statements/import`, { comments: read("comments.csv"), votes: read("votes.csv"), consentScopes: ["aggregate"] });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  await joinAs(server.baseUrl, scenario);
  const { rows } = await server.pool.query<{ user_id: string }>(
    "SELECT p.user_id FROM participants p JOIN evaluations e ON e.id = p.evaluation_id WHERE e.slug = $1 AND p.user_id IS NOT NULL",
    [scenario.slug],
  );
  const userId = rows[0]?.user_id;
  assert.ok(userId);
  const stored = await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM opinion_maps");
  assert.equal(stored.rows[0]?.n, 0, "no map stored yet: this request updates it");
  const routed = nextStatementsFor({ pool: single }, { userId, isAnonymous: false }, scenario.slug, 3);
  const outcome = await Promise.race([routed.then((r) => r), sleep(30_000).then(() => "stuck" as const)]);
  assert.notEqual(outcome, "stuck", "the request waited for a second connection while holding the only one");
  if (outcome !== "stuck") {
    assert.equal(outcome.rule.fromOpinionMap, true);
    assert.equal(outcome.statements.length, 3);
  }
});
