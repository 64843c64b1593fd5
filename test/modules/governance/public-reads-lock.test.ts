/**
 * Public reads take no row lock: while a writer holds the evaluation's row (as an export does), many
 * anonymous readers of proposals and the card are still answered, and the pool is not exhausted.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let scenario: Scenario;
before(async () => {
  server = await startTestServer();
  scenario = await openEvaluation(server.baseUrl);
});
after(async () => server.close());

test("twenty public readers are answered while the evaluation row is locked by a writer", async () => {
  const anonymous = new Client(server.baseUrl);
  const holder = await server.pool.connect();
  try {
    await holder.query("BEGIN");
    await holder.query("SELECT 1 FROM evaluations WHERE slug = $1 FOR UPDATE", [scenario.slug]);
    const reads = Array.from({ length: 20 }, (_, i) => anonymous.get(`/api/evaluations/${scenario.slug}/${i % 2 ? "proposals" : "card"}`));
    const timeout = new Promise<"stalled">((resolve) => setTimeout(() => resolve("stalled"), 10_000).unref());
    const outcome = await Promise.race([Promise.all(reads), timeout]);
    assert.notEqual(outcome, "stalled", "public reads waited on the writer's row lock");
    for (const res of outcome as Awaited<(typeof reads)[number]>[]) assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 200));
  } finally {
    await holder.query("ROLLBACK");
    holder.release();
  }
});
