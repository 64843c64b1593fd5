/** Every API operation declares the shape of its success answer, except the documented streaming and file exceptions. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startTestServer, type TestServer } from "../support/server.ts";

/**
 * Routes whose success answer is not one JSON shape: the live battle answers a text/event-stream.
 * (better-auth's own routes under /api/auth are hidden from the document and skipped below; the card's
 * ?format=markdown and the consent receipt download still declare their JSON shape.)
 */
const EXCEPTIONS = new Set(["POST /api/evaluations/{id}/live-battles"]);

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test("every operation under /api declares a 2xx response schema", async () => {
  const res = await fetch(`${server.baseUrl}/api/openapi.json`);
  assert.equal(res.status, 200);
  const document = (await res.json()) as { paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(document.paths)
    .filter(([path]) => path.startsWith("/api/") && !path.startsWith("/api/auth/"))
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })));
  assert.ok(operations.length > 60, `only ${operations.length} operations in the document`);
  const undeclared = operations
    .filter(({ name }) => !EXCEPTIONS.has(name))
    .filter(({ operation }) => !Object.entries(operation.responses ?? {}).some(([status, answer]) => /^2\d\d$/.test(status) && answer.content?.["application/json"]?.schema !== undefined))
    .map(({ name }) => name);
  assert.deepEqual(undeclared, []);
});

test("the contract imports only zod, src/core and itself, so the web app can use it", () => {
  const dir = join(import.meta.dirname, "../../src/contract");
  for (const file of readdirSync(dir)) {
    const source = readFileSync(join(dir, file), "utf8");
    for (const [, specifier] of source.matchAll(/from "([^"]+)"/g)) {
      assert.ok(specifier === "zod" || specifier?.startsWith("./") || specifier?.startsWith("../core/"), `${file} imports ${specifier}`);
    }
  }
});
