import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { closedPort, LOOPBACK_ALLOWED, startFakeOpenAIServer, type FakeOpenAIServer } from "../../connectors/support/fake-openai-server.ts";
import { joinAs } from "../../support/scenario.ts";
import { Client, rowCounts, signUp, startTestServer, type TestServer } from "../../support/server.ts";

const KEY = "sk-live-test-0123456789abcdef";
let server: TestServer;
let llm: FakeOpenAIServer;
let organiser: Client;
const slug = "live-benefits";
const subjectIds = new Map<string, string>();

interface View {
  token: string;
  item: { id: string; prompt: string };
  responses: { key: string; text: string }[];
}

/** Reads a text/event-stream response into its events. */
async function liveBattle(client: Client, prompt: string): Promise<{ status: number; events: { event: string; data: Record<string, unknown> }[] }> {
  const res = await client.request<string>("POST", `/api/evaluations/${slug}/live-battles`, { prompt });
  if (typeof res.body !== "string") return { status: res.status, events: [] };
  const events = res.body
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "{}") as Record<string, unknown>;
      return { event, data };
    });
  return { status: res.status, events };
}

before(async () => {
  // the fake endpoints listen on loopback, which the default outbound policy refuses: the operator allows it here
  server = await startTestServer({ live: { outbound: LOOPBACK_ALLOWED, modelsDir: null } });
  llm = await startFakeOpenAIServer(KEY);
  llm.script("alpha-model", [{ type: "stream", chunks: ["Apply ", "online ", "at the council."] }]);
  llm.script("beta-model", [{ type: "stream", chunks: ["As Beta, ", "made by Betacorp, ", "I suggest calling."] }]);
  organiser = await signUp(server.baseUrl);
  const created = await organiser.post("/api/evaluations", {
    slug,
    title: "Live benefits assistants",
    charter: { purpose: "Compare live assistants", sponsor: "City", participantItems: "open" },
  });
  assert.equal(created.status, 201);
  for (const [name, organisation, model, port] of [
    ["Alpha", "Alphaworks", "alpha-model", null],
    ["Beta", "Betacorp", "beta-model", null],
    ["Gamma", "Gammalabs", "gamma-model", await closedPort()],
  ] as const) {
    const subject = await organiser.post<{ subject: { id: string } }>(`/api/evaluations/${slug}/subjects`, { name, kind: "model", organisation });
    subjectIds.set(name, subject.body.subject.id);
    const baseURL = port ? `http://127.0.0.1:${port}/v1` : llm.baseURL;
    const endpoint = await organiser.put<{ endpoint: Record<string, unknown> }>(`/api/evaluations/${slug}/subjects/${subject.body.subject.id}/endpoint`, {
      kind: "openai_compatible",
      baseURL,
      model,
      apiKey: KEY,
      maxRetries: 0,
    });
    assert.equal(endpoint.status, 200, JSON.stringify(endpoint.body));
    assert.ok(!JSON.stringify(endpoint.body).includes(KEY), "the key is never returned");
  }
  await organiser.patch(`/api/evaluations/${slug}`, { status: "open" });
});
after(async () => {
  await server.close();
  await llm.close();
});

/** A failed battle still counts against the quota and the failing subject's circuit; nothing else may be written. */
const LEDGERS = ["live_battles", "endpoint_circuits"];

test("prompt → two streamed responses → judgment → identities revealed → stored responses reused", async () => {
  const invitation = await organiser.post<{ invitation: { token: string } }>(`/api/evaluations/${slug}/invitations`, { role: "participant" });
  const scenario = { slug, invitation: invitation.body.invitation.token, organiser, subjects: [], items: [] };
  const participant = await joinAs(server.baseUrl, scenario);
  const { status, events } = await liveBattle(participant, "How do I apply for housing benefit?");
  assert.equal(status, 200);
  const deltas = events.filter((e) => e.event === "delta");
  assert.ok(deltas.some((d) => d.data.side === "a") && deltas.some((d) => d.data.side === "b"), "both sides stream");
  const retries = events.filter((e) => e.event === "retry");
  const ready = events.find((e) => e.event === "ready")?.data as unknown as View;
  assert.ok(ready?.token, JSON.stringify(events));
  assert.deepEqual(ready.responses.map((r) => r.text).sort(), ["Apply online at the council.", "As Beta, made by Betacorp, I suggest calling."]);
  const gamma = await server.pool.query<{ consecutive_failures: number; last_failure_kind: string | null }>("SELECT consecutive_failures, last_failure_kind FROM endpoint_circuits WHERE subject_id = $1", [subjectIds.get("Gamma")]);
  if (retries.length > 0) {
    assert.equal(gamma.rows[0]?.consecutive_failures, 1, "the unreachable subject's failure counts against its circuit");
    assert.equal(gamma.rows[0]?.last_failure_kind, "unreachable");
  }
  for (const id of subjectIds.values()) assert.ok(!JSON.stringify(ready).includes(id), "no subject identified before judging");
  assert.deepEqual(Object.keys(ready.responses[0] ?? {}).sort(), ["key", "text"], "a response carries only its position and text");

  const judged = await participant.post<{ revealed: { key: string; subject: { name: string } }[] }>(`/api/evaluations/${slug}/assignments/${ready.token}/judgment`, {
    judgment: { kind: "pairwise", outcome: "a" },
  });
  assert.equal(judged.status, 201);
  assert.deepEqual(judged.body.revealed.map((r) => r.subject.name).sort(), ["Alpha", "Beta"]);
  const excluded = await server.pool.query<{ excluded_reason: string | null }>("SELECT excluded_reason FROM judgments WHERE assignment_token = $1", [ready.token]);
  assert.equal(excluded.rows[0]?.excluded_reason, "identity_leak", "Beta named itself and its maker: the vote does not count");

  const stored = await server.pool.query<{ meta: { latencyMs: number; usage: { completionTokens: number } }; identity_leak: string[] | null }>(
    "SELECT r.meta, r.identity_leak FROM responses r JOIN items i ON i.id = r.item_id WHERE i.prompt = 'How do I apply for housing benefit?' ORDER BY r.text",
  );
  assert.equal(stored.rows.length, 2);
  for (const row of stored.rows) {
    assert.ok(row.meta.latencyMs >= 0 && row.meta.usage.completionTokens > 0, "token and latency accounting is stored");
  }
  assert.deepEqual(stored.rows.map((r) => (r.identity_leak ?? []).length > 0), [false, true], "only Beta's answer is flagged");
  const requestsSoFar = llm.requests.length;
  const other = await joinAs(server.baseUrl, scenario);
  const reused = await other.post<View>(`/api/evaluations/${slug}/assignments`, { mode: "pairwise" });
  assert.equal(reused.status, 201);
  assert.equal(reused.body.item.prompt, "How do I apply for housing benefit?");
  assert.deepEqual(reused.body.responses.map((r) => r.text).sort(), ready.responses.map((r) => r.text).sort());
  assert.equal(llm.requests.length, requestsSoFar, "nothing was generated again");
});

test("an unreachable subject counts against its circuit, the participant gets another pair; nothing half-written", async () => {
  await server.pool.query("UPDATE subjects SET available = false WHERE id = $1", [subjectIds.get("Beta")]);
  const invitation = await organiser.post<{ invitation: { token: string } }>(`/api/evaluations/${slug}/invitations`, { role: "participant" });
  const participant = await joinAs(server.baseUrl, { slug, invitation: invitation.body.invitation.token, organiser, subjects: [], items: [] });
  const before = await rowCounts(server.pool, { ignore: LEDGERS });
  const { events } = await liveBattle(participant, "Who can get a council tax reduction?");
  assert.ok(events.some((e) => e.event === "retry"));
  assert.equal(events.at(-1)?.event, "error", "only Alpha is left: no pair");
  const gamma = await server.pool.query<{ consecutive_failures: number; last_failure_kind: string }>("SELECT consecutive_failures, last_failure_kind FROM endpoint_circuits WHERE subject_id = $1", [subjectIds.get("Gamma")]);
  assert.ok((gamma.rows[0]?.consecutive_failures ?? 0) >= 1);
  assert.equal(gamma.rows[0]?.last_failure_kind, "unreachable");
  const subjects = await organiser.get<{ subjects: { name: string; unavailableReason: string | null }[] }>(`/api/evaluations/${slug}/subjects`);
  assert.ok(!JSON.stringify(subjects.body).includes("ECONNREFUSED") && !JSON.stringify(subjects.body).includes("127.0.0.1"), "no endpoint detail in the subject list");
  const afterCounts = await rowCounts(server.pool, { ignore: LEDGERS });
  assert.deepEqual({ ...afterCounts }, { ...before }, "no item, response or assignment was stored");
  await server.pool.query("UPDATE subjects SET available = true WHERE id = $1", [subjectIds.get("Beta")]);
});

test("no route, export or log line carries the API key", async () => {
  const subjects = await organiser.get(`/api/evaluations/${slug}/subjects`);
  assert.ok(!JSON.stringify(subjects.body).includes(KEY));
  const evaluation = await organiser.get(`/api/evaluations/${slug}`);
  assert.ok(!JSON.stringify(evaluation.body).includes(KEY));
  const exported = await organiser.post(`/api/evaluations/${slug}/exports`, { scope: "publish", recipient: "Archive", purpose: "record" });
  assert.ok(!JSON.stringify(exported.body).includes(KEY));
  const openapi = await organiser.get("/api/openapi.json");
  assert.ok(!JSON.stringify(openapi.body).includes(KEY));
});
