import assert from "node:assert/strict";
import net from "node:net";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let scenario: Scenario;
let participant: Client;
before(async () => {
  server = await startTestServer();
  scenario = await openEvaluation(server.baseUrl);
  participant = await joinAs(server.baseUrl, scenario);
});
after(async () => server.close());

const FIFTY_MIB = 50 * 1024 * 1024;

/**
 * Sends only the request head of a 50 MiB POST (no body byte at all) and waits for the answer: the
 * server can only answer if it decided without reading the body.
 */
function headOnly(path: string, cookie?: string): Promise<{ status: number; raw: string }> {
  const { port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    let raw = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("no answer before the body was sent"));
    }, 5000);
    socket.on("data", (chunk) => {
      raw += chunk.toString("utf8");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(raw);
      if (status && raw.includes("\r\n\r\n") && raw.includes("}")) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(status[1]), raw });
      }
    });
    socket.on("error", reject);
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${FIFTY_MIB}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ""}\r\n`,
    );
  });
}

for (const route of ["imports", "statements/import"]) {
  test(`POST /api/evaluations/:id/${route}: an anonymous 50 MiB upload is refused with 401 before any body byte is sent`, async () => {
    const { status, raw } = await headOnly(`/api/evaluations/${scenario.slug}/${route}`);
    assert.equal(status, 401);
    assert.match(raw, /content-type: application\/problem\+json/i);
    assert.match(raw, /"code":"unauthenticated"/);
    assert.match(raw, /connection: close/i, "the connection is closed rather than kept for the unread body");
  });

  test(`POST /api/evaluations/:id/${route}: a participant's 50 MiB upload is refused with 403 before any body byte is sent`, async () => {
    const { status, raw } = await headOnly(`/api/evaluations/${scenario.slug}/${route}`, participant.cookieHeader());
    assert.equal(status, 403);
    assert.match(raw, /"code":"forbidden"/);
  });
}

test("an anonymous client sending a whole 50 MiB body is answered quickly, without the body being parsed", async () => {
  const body = Buffer.alloc(FIFTY_MIB, 0x20);
  const started = performance.now();
  const res = await fetch(`${server.baseUrl}/api/evaluations/${scenario.slug}/imports`, { method: "POST", headers: { "content-type": "application/json" }, body }).catch((error: unknown) => error);
  const ms = performance.now() - started;
  // The server answers 401 and closes; the client either reads the 401 or sees its upload cut short.
  if (res instanceof Response) assert.equal(res.status, 401);
  assert.ok(ms < 3000, `answered in ${ms.toFixed(0)} ms`);
});

test("the organiser's upload still goes through the same route (the hook lets organisers pass)", async () => {
  const res = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/imports`, { format: "jsonl", content: "not json" });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.ok(!["unauthenticated", "forbidden"].includes((res.body as { code: string }).code), "past the hook, refused by the body's own validation");
});

test("a signed-in caller naming an evaluation that does not exist gets 404 before the body", async () => {
  const { status } = await headOnly(`/api/evaluations/no-such-evaluation/imports`, participant.cookieHeader());
  assert.equal(status, 404);
});
