/**
 * Session look-ups are cached briefly in each process (src/platform/session-cache.ts). What this process ends it
 * forgets at once: a sign-out, a revocation of the caller's sessions. What ends behind its back (another instance,
 * a database edit) acts here for at most SESSION_TTL_MS more.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, test } from "node:test";
import { cachedActor, cachedSessionCount, forgetSession, SESSION_TTL_MS, sessionTokenOf } from "../../../src/platform/session-cache.ts";
import { startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

let counter = 0;

async function call(method: string, path: string, cookie: string | null, body?: unknown) {
  const headers: Record<string, string> = { origin: server.baseUrl };
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(server.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0] ?? "").filter((c) => c.startsWith("better-auth.session_token="));
  await response.arrayBuffer();
  return { status: response.status, cookie: cookies[0] ?? null };
}

/** An organiser with an evaluation, and the session cookie of their sign-up. */
async function organiser(): Promise<{ email: string; cookie: string; slug: string }> {
  counter += 1;
  const email = `cache${counter}-${Date.now()}@example.org`;
  const signedUp = await call("POST", "/api/auth/sign-up/email", null, { email, password: "correct horse battery", name: "Organiser" });
  assert.equal(signedUp.status, 200);
  const cookie = signedUp.cookie as string;
  const slug = `cache-${counter}-${Date.now().toString(36)}`;
  const created = await call("POST", "/api/evaluations", cookie, {
    slug,
    title: "Session cache",
    charter: { purpose: "Which assistant answers best?", sponsor: "City of Example", scopes: ["aggregate"], identityAssurance: "open_link" },
  });
  assert.equal(created.status, 201);
  return { email, cookie, slug };
}

/** An organiser-only read: 200 while the session acts, 401 once it no longer does. */
const invitations = (slug: string, cookie: string) => call("GET", `/api/evaluations/${slug}/invitations`, cookie).then((r) => r.status);

test("a session signed out on this instance no longer acts, at once", async () => {
  const { cookie, slug } = await organiser();
  assert.equal(await invitations(slug, cookie), 200);
  assert.equal((await call("POST", "/api/auth/sign-out", cookie, {})).status, 200);
  assert.equal(await invitations(slug, cookie), 401);
});

test("revoking a user's sessions on this instance ends their other sessions here at once", async () => {
  const { email, cookie, slug } = await organiser();
  const second = await call("POST", "/api/auth/sign-in/email", null, { email, password: "correct horse battery" });
  assert.equal(second.status, 200);
  const other = second.cookie as string;
  assert.equal(await invitations(slug, cookie), 200);
  assert.equal(await invitations(slug, other), 200, "both sessions act, and both are cached");
  assert.equal((await call("POST", "/api/auth/revoke-sessions", other, {})).status, 200);
  assert.equal(await invitations(slug, cookie), 401);
  assert.equal(await invitations(slug, other), 401);
});

test("a session ended behind this instance's back acts for at most the cache's time to live", async () => {
  const { email, cookie, slug } = await organiser();
  assert.equal(await invitations(slug, cookie), 200);
  const { rowCount } = await server.pool.query(`DELETE FROM session WHERE "userId" = (SELECT id FROM "user" WHERE email = $1)`, [email]);
  assert.equal(rowCount, 1);
  const ended = Date.now();
  assert.equal(await invitations(slug, cookie), 200, "still cached: this is the stated revocation lag");
  await sleep(SESSION_TTL_MS - (Date.now() - ended) + 50);
  assert.equal(await invitations(slug, cookie), 401);
});

test("the cache holds found sessions only, never past their expiry, and stays bounded", async () => {
  let loads = 0;
  const nobody = async () => {
    loads += 1;
    return { actor: { userId: null, isAnonymous: true } };
  };
  await cachedActor("cookie-of-nobody", nobody, 1_000);
  await cachedActor("cookie-of-nobody", nobody, 1_001);
  assert.equal(loads, 2, "a cookie that resolved to nobody is asked about again");

  const expiring = async () => {
    loads += 1;
    return { actor: { userId: "u-expiring", isAnonymous: false }, session: { token: "t-expiring", expiresAt: new Date(1_100) } };
  };
  loads = 0;
  await cachedActor("t-expiring.sig", expiring, 1_000);
  await cachedActor("t-expiring.sig", expiring, 1_050);
  assert.equal(loads, 1, "served from the cache while the session lasts");
  await cachedActor("t-expiring.sig", expiring, 1_100);
  assert.equal(loads, 2, "not past the session's own expiry, though the time to live runs on");

  const far = new Date(10 ** 13);
  for (let k = 0; k < 10_050; k++) {
    await cachedActor(`t-${k}.sig`, async () => ({ actor: { userId: `u-${k}`, isAnonymous: true }, session: { token: `t-${k}`, expiresAt: far } }), 2_000);
  }
  assert.ok(cachedSessionCount() <= 10_000, `${cachedSessionCount()} entries`);
  loads = 0;
  await cachedActor("t-10049.sig", async () => {
    loads += 1;
    return { actor: { userId: "u-10049", isAnonymous: true } };
  }, 2_001);
  assert.equal(loads, 0, "the newest entries are kept");
});

test("a cookie planted beside the real session cookie never borrows the victim's cached session", async () => {
  // the attacker's own plain cookie, planted in the victim's browser (plain HTTP, a sibling subdomain)
  const attacker = "KNOWN.attacker-signature";
  const real = "victim-token.victim-signature";
  const both = `better-auth.session_token=${attacker}; __Secure-better-auth.session_token=${real}`;
  assert.equal(sessionTokenOf(both), null, "two session cookies: which one better-auth reads depends on its settings, so no cache");
  assert.equal(sessionTokenOf(`__Secure-better-auth.session_token=${real}`), real);
  let loads = 0;
  const victim = async () => {
    loads += 1;
    return { actor: { userId: "victim", isAnonymous: false }, session: { token: "victim-token", expiresAt: new Date(10 ** 13) } };
  };
  // even if a cookie were read that is not the session found, the answer is not filed under it
  await cachedActor(attacker, victim, 5_000);
  const asAttacker = await cachedActor(attacker, async () => ({ actor: { userId: null, isAnonymous: true } }), 5_001);
  assert.equal(asAttacker.userId, null, "the attacker's cookie is not the victim's session");
  assert.equal(loads, 1);
});

test("a look-up that began before a sign-out does not put the session back into the cache", async () => {
  let release: () => void = () => undefined;
  const slow = new Promise<void>((resolve) => {
    release = resolve;
  });
  let loads = 0;
  const load = async () => {
    loads += 1;
    await slow;
    return { actor: { userId: "u-signing-out", isAnonymous: false }, session: { token: "t-signing-out", expiresAt: new Date(Date.now() + 60_000) } };
  };
  const inFlight = cachedActor("t-signing-out.sig", load);
  forgetSession("t-signing-out.sig");
  release();
  await inFlight;
  await cachedActor("t-signing-out.sig", async () => {
    loads += 1;
    return { actor: { userId: null, isAnonymous: true } };
  });
  assert.equal(loads, 2, "asked again after the sign-out: the in-flight answer was not cached");
});
