/**
 * A client that never finishes sending its request (slowloris) is cut: Node checks open requests against
 * the server's request timeout every 30 s, so this test waits up to 45 s.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, test } from "node:test";
import { buildServer } from "../../../src/app.ts";
import { createAuth } from "../../../src/platform/http/auth.ts";
import { testDatabase } from "../../support/db.ts";
import { TEST_SECRET } from "../../support/server.ts";

test("a request whose headers never finish is cut with a problem+json 408", { timeout: 60_000 }, async () => {
  const db = await testDatabase();
  const auth = createAuth(db.pool, { secret: TEST_SECRET, baseURL: "http://127.0.0.1", trustedOrigins: ["http://127.0.0.1:*"], attemptsPerMinute: false });
  const app = await buildServer({ services: { pool: db.pool, secret: TEST_SECRET }, auth, requestTimeoutMs: 1000 });
  after(async () => {
    await app.close();
    await db.close();
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const answer = await new Promise<string>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
    socket.on("close", () => resolve(received));
    socket.write("GET /api/evaluations HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    setTimeout(() => socket.destroy(), 45_000).unref();
  });
  assert.match(answer, /^HTTP\/1\.1 408/);
  assert.match(answer, /application\/problem\+json/);
  assert.match(answer, /"request_timeout"/);
});
