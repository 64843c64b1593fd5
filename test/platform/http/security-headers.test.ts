/** Every response carries the security headers, whatever its route or status, computed once at start-up. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

for (const [what, path] of [
  ["a public API answer", "/api/evaluations"],
  ["a refusal", "/api/evaluations/no-such-evaluation"],
  ["an unknown address", "/api/no-such-route"],
] as const) {
  test(`${what} carries the security headers`, async () => {
    const response = await fetch(`${server.baseUrl}${path}`);
    await response.arrayBuffer();
    const csp = response.headers.get("content-security-policy") ?? "";
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "img-src 'self' data:"]) {
      assert.ok(csp.split(";").includes(directive), `${directive} in ${csp}`);
    }
    assert.ok(!csp.includes("upgrade-insecure-requests"), "no upgrade to HTTPS: the TLS proxy decides");
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("x-frame-options"), "SAMEORIGIN");
    assert.equal(response.headers.get("strict-transport-security"), null, "no HSTS: the TLS proxy decides");
    assert.equal(response.headers.get("x-powered-by"), null);
  });
}
