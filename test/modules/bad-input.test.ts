import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../support/scenario.ts";
import { Client, rowCounts, startTestServer, type ApiResponse, type TestServer } from "../support/server.ts";

let server: TestServer;
let scenario: Scenario;
let other: Scenario;
let participant: Client;
before(async () => {
  server = await startTestServer();
  scenario = await openEvaluation(server.baseUrl, { textLimits: { rationale: 50 } });
  other = await openEvaluation(server.baseUrl);
  participant = await joinAs(server.baseUrl, scenario);
});
after(async () => server.close());

/** Sends a bad request and checks: 4xx, problem+json naming the field and rule, nothing written. */
async function refused(send: () => Promise<ApiResponse>, status: number, code: string, field?: string): Promise<ApiResponse> {
  const before = await rowCounts(server.pool);
  const res = await send();
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.contentType, /^application\/problem\+json/);
  assert.equal(res.body.code, code);
  if (field) assert.equal(res.body.field, field);
  assert.equal(typeof res.body.detail, "string");
  assert.deepEqual(await rowCounts(server.pool), before, "a refused request writes nothing");
  return res;
}

async function freshToken(): Promise<string> {
  const view = await participant.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
  assert.equal(view.status, 201);
  return view.body.token;
}

test("invalid JSON", async () => {
  await refused(() => participant.request("POST", `/api/evaluations/${scenario.slug}/assignments`, undefined, "{not json"), 400, "invalid_json", "body");
});

test("unknown fields", async () => {
  const res = await refused(() => participant.post(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise", colour: "red" }), 400, "validation_failed");
  assert.match(String(res.body.detail), /colour|unrecognized/i);
});

test("wrong enum values", async () => {
  const token = await freshToken();
  const res = await refused(
    () => participant.post(`/api/evaluations/${scenario.slug}/assignments/${token}/judgment`, { judgment: { kind: "pairwise", outcome: "left" } }),
    400,
    "validation_failed",
    "body.judgment.outcome",
  );
  assert.ok(Array.isArray(res.body.errors));
  await refused(() => participant.put(`/api/evaluations/${scenario.slug}/consent`, { scopes: ["sell_everything"] }), 400, "validation_failed", "body.scopes.0");
});

test("text over the charter's limit", async () => {
  const token = await freshToken();
  await refused(
    () => participant.post(`/api/evaluations/${scenario.slug}/assignments/${token}/judgment`, { judgment: { kind: "pairwise", outcome: "a" }, rationale: "x".repeat(51) }),
    400,
    "text_too_long",
    "rationale",
  );
});

test("unknown and foreign ids", async () => {
  await refused(() => participant.post(`/api/evaluations/${scenario.slug}/assignments/nope/judgment`, { judgment: { kind: "pairwise", outcome: "a" } }), 404, "not_found", "token");
  const foreignItem = other.items[0]?.id;
  await refused(
    () => participant.post(`/api/evaluations/${scenario.slug}/items/${foreignItem}/judgments`, { judgment: { kind: "abstention", reason: "x" } }),
    404,
    "not_found",
    "itemId",
  );
  await refused(() => participant.post(`/api/evaluations/${scenario.slug}/items/not-a-uuid/judgments`, { judgment: { kind: "abstention", reason: "x" } }), 400, "validation_failed", "params.itemId");
  await refused(() => participant.get("/api/evaluations/no-such-evaluation"), 404, "not_found");
  const foreignSubject = other.subjects[0]?.id;
  await refused(
    () => scenario.organiser.post(`/api/evaluations/${scenario.slug}/responses`, { itemId: scenario.items[0]?.id, subjectId: foreignSubject, text: "t" }),
    404,
    "not_found",
    "subjectId",
  );
});

test("a judgment on a closed evaluation", async () => {
  const token = await freshToken();
  assert.equal((await scenario.organiser.patch(`/api/evaluations/${scenario.slug}`, { status: "closed" })).status, 200);
  try {
    await refused(() => participant.post(`/api/evaluations/${scenario.slug}/assignments/${token}/judgment`, { judgment: { kind: "pairwise", outcome: "a" } }), 409, "evaluation_not_open");
    await refused(() => scenario.organiser.patch(`/api/evaluations/${scenario.slug}`, { status: "draft" }), 409, "invalid_transition", "status");
  } finally {
    assert.equal((await scenario.organiser.patch(`/api/evaluations/${scenario.slug}`, { status: "open" })).status, 200);
  }
});

test("a charter with an invalid field names it", async () => {
  await refused(
    () => scenario.organiser.post("/api/evaluations", { slug: "bad-charter", title: "t", charter: { purpose: "p", sponsor: "s", kAnonymity: 1 } }),
    400,
    "validation_failed",
    "body.charter.kAnonymity",
  );
  await refused(() => scenario.organiser.post("/api/evaluations", { slug: scenario.slug, title: "t", charter: { purpose: "p", sponsor: "s" } }), 409, "conflict", "slug");
});

test("revoking a scope never granted, and an unknown route", async () => {
  await refused(() => participant.post(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["research"] }), 400, "scope_not_granted", "scopes");
  await refused(() => participant.put(`/api/evaluations/${scenario.slug}/consent`, { scopes: ["commercial"] }), 400, "scope_not_offered", "scopes");
  await refused(() => participant.get("/api/nothing-here"), 404, "not_found");
});
