import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

const strip = (body: unknown) => {
  const { instance: _instance, ...rest } = body as Record<string, unknown>;
  return rest;
};

test("sign-up: an e-mail that has an account is refused exactly like any other invalid sign-up (no enumeration)", async () => {
  const email = `taken-${Date.now()}@example.org`;
  const first = await new Client(server.baseUrl).post("/api/auth/sign-up/email", { email, password: "correct horse battery", name: "Ana" });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const taken = await new Client(server.baseUrl).post("/api/auth/sign-up/email", { email, password: "another long password", name: "Eve" });
  const shortPassword = await new Client(server.baseUrl).post("/api/auth/sign-up/email", { email: `new-${Date.now()}@example.org`, password: "short", name: "Ben" });
  const badEmail = await new Client(server.baseUrl).post("/api/auth/sign-up/email", { email: "not an e-mail", password: "correct horse battery", name: "Chen" });
  for (const res of [taken, shortPassword, badEmail]) {
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.contentType, /problem\+json/);
    assert.deepEqual(strip(res.body), strip(taken.body));
  }
  assert.equal((taken.body as { code: string }).code, "sign_up_refused");
  assert.doesNotMatch(JSON.stringify(taken.body), /exist/i);
});

test("sign-in: an unknown e-mail and a wrong password get the same answer", async () => {
  const email = `known-${Date.now()}@example.org`;
  assert.equal((await new Client(server.baseUrl).post("/api/auth/sign-up/email", { email, password: "correct horse battery", name: "Dara" })).status, 200);
  const wrong = await new Client(server.baseUrl).post("/api/auth/sign-in/email", { email, password: "wrong password here" });
  const unknown = await new Client(server.baseUrl).post("/api/auth/sign-in/email", { email: `nobody-${Date.now()}@example.org`, password: "wrong password here" });
  assert.equal(wrong.status, unknown.status);
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, unknown.body);
});
