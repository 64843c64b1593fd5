/**
 * A malformed-request sweep of every operation in /api/openapi.json, as an anonymous caller, a consenting
 * participant and an organiser: no answer may be a 5xx, and every 4xx is problem+json with a code.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
}

let server: TestServer;
let scenario: Scenario;
let roles: Record<string, Client>;
before(async () => {
  server = await startTestServer();
  scenario = await openEvaluation(server.baseUrl);
  roles = { anonymous: new Client(server.baseUrl), participant: await joinAs(server.baseUrl, scenario, ["aggregate", "publish"]), organiser: scenario.organiser };
});
after(async () => server.close());

async function operations(): Promise<Operation[]> {
  const doc = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, hasBody: Boolean(op.requestBody) })),
  );
}

/** Path parameters filled with real ids, ids of the wrong shape, a NUL, an over-long id and percent garbage. */
const PARAMS = (real: string) => [real, "00000000-0000-0000-0000-000000000000", "nope", "a\u0000b", "x".repeat(5000), "%E0%A4%A", "..%2F..%2Fetc%2Fpasswd"];

function fill(path: string, value: (name: string) => string): string {
  return path.replace(/\{(\w+)\}|:(\w+)/g, (_m, a: string | undefined, b: string | undefined) => {
    const v = value(a ?? b ?? "");
    return /%/.test(v) ? v : encodeURIComponent(v);
  });
}

const BODIES: { label: string; raw: string | undefined; contentType?: string }[] = [
  { label: "no body", raw: undefined },
  { label: "empty JSON body", raw: "" },
  { label: "invalid JSON", raw: "{not json" },
  { label: "null", raw: "null" },
  { label: "an array", raw: "[1,2,3]" },
  { label: "a number", raw: "42" },
  { label: "NUL in every text", raw: JSON.stringify({ text: "hello\u0000world", title: "a\u0000", prompt: "\u0000", name: "\u0000", slug: "x\u0000" }) },
  { label: "wrong types", raw: JSON.stringify({ text: 1, title: [], scopes: "all", mode: 7, judgment: "a", kind: {}, status: null, communities: { a: 1 } }) },
  { label: "huge numbers", raw: JSON.stringify({ rounds: 1e308, k: -1e308, amountMinor: 2 ** 80, quorum: Number.MAX_VALUE }) },
  { label: "deep nesting", raw: `${"[".repeat(2000)}${"]".repeat(2000)}` },
  { label: "prototype pollution", raw: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' },
  { label: "text/plain body", raw: "hello", contentType: "text/plain" },
  { label: "form body", raw: "a=1&b=2", contentType: "application/x-www-form-urlencoded" },
];

async function send(client: Client, method: string, path: string, raw: string | undefined, contentType?: string) {
  if (contentType) {
    const res = await fetch(server.baseUrl + path, { method, headers: { "content-type": contentType, origin: server.baseUrl }, body: raw });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get("content-type") ?? "", body: text };
  }
  const res = await client.request(method, path, undefined, raw);
  return { status: res.status, contentType: res.contentType, body: JSON.stringify(res.body) };
}

test("no operation answers 5xx to malformed input, in any role, and every 4xx is problem+json", async () => {
  const ops = await operations();
  assert.ok(ops.length >= 50, `the OpenAPI document lists ${ops.length} operations`);
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  let requests = 0;
  for (const op of ops) {
    for (const [role, client] of Object.entries(roles)) {
      const realIds = (name: string) => (name === "id" ? scenario.slug : name === "token" ? scenario.invitation : scenario.items[0]?.id ?? "x");
      const paths = PARAMS("real").map((p) => fill(op.path, (name) => (p === "real" ? realIds(name) : p)));
      const cases: [string, string | undefined, string | undefined][] = [];
      for (const path of paths) cases.push([path, op.hasBody ? "{}" : undefined, undefined]);
      const realPath = paths[0] as string;
      if (op.method !== "GET") for (const b of BODIES) cases.push([realPath, b.raw, b.contentType]);
      cases.push([`${realPath}?rounds=abc&seed=-1&rule=%00&by=x&format=%ff`, op.method === "GET" ? undefined : "{}", undefined]);
      for (const [path, raw, contentType] of cases) {
        const res = await send(client, op.method, path, raw, contentType);
        requests += 1;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const where = `${role} ${op.method} ${path.slice(0, 120)} ${contentType ?? ""} ${(raw ?? "").slice(0, 40)}`;
        if (res.status >= 500) failures.push(`${res.status} ${where}: ${res.body.slice(0, 200)}`);
        else if (res.status >= 400 && !/^application\/problem\+json/.test(res.contentType)) failures.push(`${res.status} not problem+json (${res.contentType}) ${where}`);
      }
    }
  }
  const summary = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
  process.stdout.write(`# fuzz: ${requests} requests over ${ops.length} operations × ${Object.keys(roles).length} roles; statuses ${summary}\n`);
  assert.deepEqual(failures, []);
});

test("Node-level refusals (headers or address too large) are problem+json too", async () => {
  const long = await fetch(`${server.baseUrl}/api/evaluations/${"x".repeat(70_000)}`);
  assert.ok(long.status === 414 || long.status === 404 || long.status === 431, `status ${long.status}`);
  assert.match(long.headers.get("content-type") ?? "", /^application\/problem\+json/);
  const headers = await fetch(`${server.baseUrl}/api/evaluations`, { headers: { "x-big": "y".repeat(40_000) } });
  assert.equal(headers.status, 431);
  assert.match(headers.headers.get("content-type") ?? "", /^application\/problem\+json/);
  assert.equal(((await headers.json()) as { code: string }).code, "headers_too_large");
});

test("a cross-site form post is refused, and a request id is echoed in the problem and the header", async () => {
  const res = await fetch(`${server.baseUrl}/api/evaluations/${scenario.slug}/assignments`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "https://evil.example" },
    body: JSON.stringify({ mode: "pairwise" }),
  });
  assert.equal(res.status, 403);
  const body = (await res.json()) as { field: string; instance: string };
  assert.equal(body.field, "origin");
  assert.equal(body.instance, `urn:counterpublic:request:${res.headers.get("x-request-id")}`);
  const form = await fetch(`${server.baseUrl}/api/invitations/${scenario.invitation}/join`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
  assert.equal(form.status, 415);
});

test("a NUL in a text body is a 400 naming the field, not a 500", async () => {
  const res = await roles.participant?.post(`/api/evaluations/${scenario.slug}/statements`, { text: "hello\u0000world" });
  assert.equal(res?.status, 400, JSON.stringify(res?.body));
  assert.equal((res?.body as { field: string }).field, "body.text");
});

test("a body nested 100,000 levels deep (under 1 MiB) is a 400, not a 500 from a blown call stack", async () => {
  const depth = 100_000;
  const bodies = [`${"[".repeat(depth)}${"]".repeat(depth)}`, `${'{"a":'.repeat(depth)}"x\\u0000"${"}".repeat(depth)}`];
  for (const raw of bodies) {
    for (const path of [`/api/evaluations/${scenario.slug}/consent`, `/api/evaluations/${scenario.slug}/statements`]) {
      const res = await roles.participant?.request("POST", path, undefined, raw);
      assert.ok(res && res.status >= 400 && res.status < 500, `${path}: ${res?.status} ${JSON.stringify(res?.body).slice(0, 200)}`);
      assert.match(res?.contentType ?? "", /^application\/problem\+json/);
    }
  }
});
