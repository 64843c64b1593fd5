/**
 * Limits that fit a proxy: per address (the proxy's client when trusted), a per-account budget on top, and
 * /healthz never limited.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildServer, type ServerOptions } from "../../../src/app.ts";
import { createAuth } from "../../../src/platform/http/auth.ts";
import { testDatabase } from "../../support/db.ts";
import { joinAs, openEvaluation } from "../../support/scenario.ts";
import { TEST_SECRET } from "../../support/server.ts";

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

async function server(options: Partial<ServerOptions>): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const db = await testDatabase();
  const auth = createAuth(db.pool, { secret: TEST_SECRET, baseURL: "http://127.0.0.1", trustedOrigins: ["http://127.0.0.1:*"], attemptsPerMinute: false });
  const app = await buildServer({ services: { pool: db.pool, secret: TEST_SECRET }, auth, ...options });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  closers.push(async () => {
    await app.close();
    await db.close();
  });
  return { app, baseUrl: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` };
}

async function statuses(url: string, n: number, headers: Record<string, string> = {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await fetch(url, { headers })).status);
  return out;
}

test("the address limit refuses with a problem+json 429, and /healthz is never limited", async () => {
  const { baseUrl } = await server({ rateLimit: 5 });
  const listed = await statuses(`${baseUrl}/api/evaluations`, 6);
  assert.deepEqual(listed, [200, 200, 200, 200, 200, 429]);
  const refused = await fetch(`${baseUrl}/api/evaluations`);
  assert.match(refused.headers.get("content-type") ?? "", /^application\/problem\+json/);
  assert.equal(((await refused.json()) as { code: string }).code, "rate_limited");
  assert.deepEqual(new Set(await statuses(`${baseUrl}/healthz`, 20)), new Set([200]), "a health check never fails under load");
});

test("behind a trusted proxy each forwarded client has its own bucket; untrusted, X-Forwarded-For changes nothing", async () => {
  const trusted = await server({ rateLimit: 3, trustProxy: "true" });
  for (const client of ["203.0.113.7", "203.0.113.8"]) {
    assert.deepEqual(await statuses(`${trusted.baseUrl}/api/evaluations`, 3, { "x-forwarded-for": client }), [200, 200, 200], client);
  }
  const direct = await server({ rateLimit: 3 });
  const spoofed = [...(await statuses(`${direct.baseUrl}/api/evaluations`, 2, { "x-forwarded-for": "198.51.100.1" })), ...(await statuses(`${direct.baseUrl}/api/evaluations`, 2, { "x-forwarded-for": "198.51.100.2" }))];
  assert.deepEqual(spoofed, [200, 200, 200, 429], "without the setting a client cannot pick a fresh address");
});

test("a signed-in account has a budget of its own on top of the address limit", async () => {
  const { baseUrl } = await server({ rateLimit: 1_000, accountRateLimit: 30 });
  const scenario = await openEvaluation(baseUrl);
  const participant = await joinAs(baseUrl, scenario);
  const seen: number[] = [];
  for (let i = 0; i < 35; i++) seen.push((await participant.get(`/api/evaluations/${scenario.slug}/me`)).status);
  assert.ok(seen.includes(429), seen.join(","));
  const anonymous = await fetch(`${baseUrl}/api/evaluations`);
  assert.equal(anonymous.status, 200, "another caller from the same address is not affected");
});
