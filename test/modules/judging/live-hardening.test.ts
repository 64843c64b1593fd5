/**
 * Outbound requests under the operator's control, over the real server and real HTTP: endpoints on
 * loopback get nothing unless the operator allows them, names that rebind to loopback are refused when
 * connecting, GGUF files only come from the models folder, a failing subject's circuit opens and
 * recovers, live battles have quotas, and API keys are sealed in the database.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { DEFAULT_OUTBOUND_POLICY } from "../../../src/core/outbound.ts";
import type { LookupAll } from "../../../src/connectors/llm/outbound-guard.ts";
import { sealLegacyEndpointKeys } from "../../../src/modules/judging/live-service.ts";
import { LOOPBACK_ALLOWED, startFakeOpenAIServer, type FakeOpenAIServer } from "../../connectors/support/fake-openai-server.ts";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, rowCounts, startTestServer, TEST_SECRET, type TestServer } from "../../support/server.ts";

const KEY = "sk-hardening-test-5f1c0a9e77d2";
let llm: FakeOpenAIServer;
let strict: TestServer;
let permissive: TestServer;
let clock = new Date("2030-01-01T12:00:00Z");
let modelsDir: string;
let outsideDir: string;

/** `localhost` and `rebind.test` resolve to loopback, `rebind.test` only from its second lookup on (DNS rebinding). */
let rebindLookups = 0;
const lookup: LookupAll = async (hostname) => {
  if (hostname === "localhost") return [{ address: "127.0.0.1", family: 4 }];
  if (hostname === "rebind.test") {
    rebindLookups += 1;
    return [{ address: rebindLookups === 1 ? "93.184.216.34" : "127.0.0.1", family: 4 }];
  }
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
};

type Events = { event: string; data: Record<string, unknown> }[];

async function liveBattle(client: Client, slug: string, prompt: string): Promise<{ status: number; body: unknown; events: Events }> {
  const res = await client.request<string>("POST", `/api/evaluations/${slug}/live-battles`, { prompt });
  if (typeof res.body !== "string") return { status: res.status, body: res.body, events: [] };
  const events = res.body
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1] ?? "", data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "{}") as Record<string, unknown> }));
  return { status: res.status, body: null, events };
}

async function liveScenario(server: TestServer, charter: Record<string, unknown> = {}): Promise<Scenario> {
  return openEvaluation(server.baseUrl, { participantItems: "open", ...charter });
}

function endpointPath(scenario: Scenario, index: number): string {
  return `/api/evaluations/${scenario.slug}/subjects/${scenario.subjects[index]?.id}/endpoint`;
}

async function connect(server: TestServer, scenario: Scenario, index: number, model: string): Promise<void> {
  const res = await scenario.organiser.put(endpointPath(scenario, index), { kind: "openai_compatible", baseURL: llm.baseURL, model, apiKey: KEY, maxRetries: 0 });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  void server;
}

before(async () => {
  llm = await startFakeOpenAIServer(KEY);
  llm.script("alpha", [{ type: "stream", chunks: ["Apply ", "online."] }]);
  llm.script("beta", [{ type: "stream", chunks: ["Call ", "the office."] }]);
  llm.script("flaky", [
    { type: "error", status: 500, body: { error: { message: "internal: db password is hunter2 at 10.0.0.5", type: "server_error" } } },
    { type: "error", status: 500, body: { error: { message: "internal: db password is hunter2 at 10.0.0.5", type: "server_error" } } },
    { type: "error", status: 500, body: { error: { message: "internal: db password is hunter2 at 10.0.0.5", type: "server_error" } } },
    { type: "stream", chunks: ["Back ", "again."] },
  ]);
  modelsDir = mkdtempSync(path.join(tmpdir(), "counterpublic-models-"));
  outsideDir = mkdtempSync(path.join(tmpdir(), "counterpublic-outside-"));
  writeFileSync(path.join(modelsDir, "tiny.gguf"), "GGUF not really a model");
  mkdirSync(path.join(modelsDir, "family"));
  writeFileSync(path.join(modelsDir, "family", "small.gguf"), "GGUF");
  writeFileSync(path.join(outsideDir, "secret.gguf"), "GGUF outside");
  symlinkSync(path.join(outsideDir, "secret.gguf"), path.join(modelsDir, "escape.gguf"));
  symlinkSync(path.join(outsideDir, "absent.gguf"), path.join(modelsDir, "dangling.gguf"));
  strict = await startTestServer({ live: { outbound: { policy: DEFAULT_OUTBOUND_POLICY, lookup }, modelsDir } });
  permissive = await startTestServer({ now: () => clock, live: { outbound: LOOPBACK_ALLOWED, modelsDir: null } });
});
after(async () => {
  await strict.close();
  await permissive.close();
  await llm.close();
  rmSync(modelsDir, { recursive: true, force: true });
  rmSync(outsideDir, { recursive: true, force: true });
});

test("default settings: a loopback endpoint is refused on save, and a live battle sends nothing to it; the organiser sees why, the public a fixed phrase", async () => {
  const scenario = await liveScenario(strict);
  const refused = await scenario.organiser.put<{ code: string; field: string; errors: { field: string; rule: string }[] }>(endpointPath(scenario, 0), {
    kind: "openai_compatible",
    baseURL: llm.baseURL,
    model: "alpha",
    apiKey: KEY,
  });
  assert.equal(refused.status, 400);
  assert.match(refused.contentType, /application\/problem\+json/);
  assert.equal(refused.body.field, "baseURL");
  assert.deepEqual(refused.body.errors.map((e) => [e.field, e.rule]), [["baseURL", "forbidden_address"]]);
  for (const baseURL of [`http://localhost:${llm.port}/v1`, `http://[::ffff:127.0.0.1]:${llm.port}/v1`, "http://169.254.169.254/latest", "http://10.1.2.3/v1"]) {
    const res = await scenario.organiser.put<{ errors: { rule: string }[] }>(endpointPath(scenario, 0), { kind: "openai_compatible", baseURL, model: "alpha" });
    assert.equal(res.status, 400, baseURL);
    assert.equal(res.body.errors[0]?.rule, "forbidden_address", baseURL);
  }
  const scheme = await scenario.organiser.put<{ errors: { rule: string }[] }>(endpointPath(scenario, 0), { kind: "openai_compatible", baseURL: "ftp://example.org/v1", model: "alpha" });
  assert.equal(scheme.body.errors[0]?.rule, "scheme");

  // endpoints saved while the operator allowed loopback (or by a host that rebinds): the guard stops them when connecting
  for (const [index, model] of [[0, "alpha"], [1, "beta"]] as const) {
    await strict.pool.query("INSERT INTO subject_endpoints (subject_id, config) VALUES ($1, $2)", [scenario.subjects[index]?.id, JSON.stringify({ kind: "openai_compatible", baseURL: llm.baseURL, model, maxRetries: 0 })]);
  }
  const connectionsBefore = llm.connections();
  const participant = await joinAs(strict.baseUrl, scenario);
  const counts = await rowCounts(strict.pool, { ignore: ["live_battles", "endpoint_circuits"] });
  const battle = await liveBattle(participant, scenario.slug, "How do I apply for housing benefit?");
  assert.equal(battle.status, 200);
  assert.equal(battle.events.at(-1)?.event, "error", JSON.stringify(battle.events));
  assert.equal(llm.connections(), connectionsBefore, "the loopback listener received no connection at all");
  assert.deepEqual(await rowCounts(strict.pool, { ignore: ["live_battles", "endpoint_circuits"] }), counts, "no item, response or assignment was stored (the attempt is on the quota and circuit ledgers)");

  const forOrganiser = await scenario.organiser.get<{ subjects: { name: string; available: boolean; unavailableReason: string | null }[] }>(`/api/evaluations/${scenario.slug}/subjects`);
  const live = forOrganiser.body.subjects.filter((subject) => subject.name !== "Gamma-3");
  assert.ok(live.every((subject) => subject.available === false && /^forbidden_address: /.test(subject.unavailableReason ?? "")), JSON.stringify(live));
  const forParticipant = await participant.get<{ subjects: { name: string; unavailableReason: string | null }[] }>(`/api/evaluations/${scenario.slug}/subjects`);
  assert.deepEqual(forParticipant.body.subjects.filter((subject) => subject.name !== "Gamma-3").map((subject) => subject.unavailableReason), ["the system is not set up correctly", "the system is not set up correctly"]);
  assert.ok(!JSON.stringify(forParticipant.body).includes("127.0.0.1"));
});

test("an invalid endpoint configuration is a 400 naming its field and rule, not the first line of a JSON dump", async () => {
  const scenario = await liveScenario(strict);
  const cases: [Record<string, unknown>, string, string][] = [
    [{ kind: "openai_compatible", baseURL: "http://[fe80::1%25eth0]/v1", model: "alpha" }, "baseURL", "invalid_format"],
    [{ kind: "openai_compatible", baseURL: "https://api.example.org/v1" }, "model", "invalid_type"],
    [{ kind: "openai_compatible", baseURL: "https://api.example.org/v1", model: "alpha", maxConcurrency: 1000 }, "maxConcurrency", "too_big"],
    [{ kind: "telnet", baseURL: "https://api.example.org/v1", model: "alpha" }, "kind", "invalid_union"],
    // past 2^31 − 1 ms Node fires the timer at once: every call would have timed out
    [{ kind: "openai_compatible", baseURL: "https://api.example.org/v1", model: "alpha", requestTimeoutMs: 2 ** 31 }, "requestTimeoutMs", "too_big"],
    [{ kind: "openai_compatible", baseURL: "https://api.example.org/v1", model: "alpha", retryMaxDelayMs: 86_400_000 }, "retryMaxDelayMs", "too_big"],
  ];
  for (const [body, field, rule] of cases) {
    const res = await scenario.organiser.put<{ code: string; field: string; detail: string; errors?: { field: string; rule: string }[] }>(endpointPath(scenario, 0), body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match(res.contentType, /application\/problem\+json/);
    assert.equal(res.body.code, "validation_failed");
    assert.equal(res.body.field, field, JSON.stringify(res.body));
    assert.deepEqual(res.body.errors?.map((e) => [e.field, e.rule]), [[field, rule]], JSON.stringify(res.body));
    assert.match(res.body.detail, new RegExp(`^the endpoint configuration is invalid: ${field}: \\w`), res.body.detail);
  }
});

test("DNS rebinding: a name that resolved to a public address on save and to 127.0.0.1 when called is refused at connect time", async () => {
  const scenario = await liveScenario(strict);
  rebindLookups = 0;
  for (const [index, model] of [[0, "alpha"], [1, "beta"]] as const) {
    rebindLookups = 0; // each save sees the public address
    const saved = await scenario.organiser.put(endpointPath(scenario, index), { kind: "openai_compatible", baseURL: `http://rebind.test:${llm.port}/v1`, model, apiKey: KEY, maxRetries: 0 });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  }
  const connectionsBefore = llm.connections();
  const participant = await joinAs(strict.baseUrl, scenario);
  const battle = await liveBattle(participant, scenario.slug, "Who can get a council tax reduction?");
  assert.equal(battle.events.at(-1)?.event, "error");
  assert.ok(rebindLookups >= 2, "the name was resolved again when connecting");
  assert.equal(llm.connections(), connectionsBefore, "nothing reached loopback");
  const circuits = await strict.pool.query<{ last_failure_kind: string }>("SELECT last_failure_kind FROM endpoint_circuits WHERE subject_id = ANY($1::uuid[])", [scenario.subjects.slice(0, 2).map((s) => s.id)]);
  assert.deepEqual(circuits.rows.map((r) => r.last_failure_kind), ["forbidden_address", "forbidden_address"]);
});

test("GGUF models come only from the models folder: no absolute path, no .., no symlink out, and the refusal never tells whether an outside file exists", async () => {
  const scenario = await liveScenario(strict);
  const put = (modelPath: string) => scenario.organiser.put<{ field: string; detail: string; errors: { rule: string }[] }>(endpointPath(scenario, 0), { kind: "gguf", modelPath });
  for (const modelPath of ["/etc/passwd", path.join(outsideDir, "secret.gguf"), "../secret.gguf", `../${path.basename(outsideDir)}/secret.gguf`, "family/../../x.gguf", "C:\\models\\x.gguf"]) {
    const res = await put(modelPath);
    assert.equal(res.status, 400, modelPath);
    assert.equal(res.body.field, "modelPath");
    assert.equal(res.body.errors[0]?.rule, "relative_name", modelPath);
  }
  const escapes = await Promise.all(["escape.gguf", "dangling.gguf", "missing.gguf"].map(put));
  for (const res of escapes) {
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0]?.rule, "no_such_model");
  }
  assert.equal(new Set(escapes.map((res) => res.body.detail)).size, 1, "a symlink to an existing outside file reads like a missing file");
  assert.ok(!escapes.some((res) => res.body.detail.includes(outsideDir)));
  assert.equal((await put("tiny.gguf")).status, 200);
  assert.equal((await put("family/small.gguf")).status, 200);

  const noModels = await liveScenario(permissive);
  const disabled = await noModels.organiser.put<{ field: string; errors: { rule: string }[] }>(endpointPath(noModels, 0), { kind: "gguf", modelPath: "tiny.gguf" });
  assert.equal(disabled.status, 400);
  assert.equal(disabled.body.errors[0]?.rule, "local_models_disabled");
});

test("the operator's setting lets a local model server through: the same loopback endpoint now answers", async () => {
  const scenario = await liveScenario(permissive);
  await connect(permissive, scenario, 0, "alpha");
  await connect(permissive, scenario, 1, "beta");
  const connectionsBefore = llm.connections();
  const participant = await joinAs(permissive.baseUrl, scenario);
  const battle = await liveBattle(participant, scenario.slug, "Where is the council office?");
  assert.equal(battle.events.at(-1)?.event, "ready", JSON.stringify(battle.events));
  assert.ok(llm.connections() > connectionsBefore);
});

test("API keys are sealed at rest: no table holds the key in plaintext, the battle still authenticates, and rows from before are sealed", async () => {
  const scenario = await liveScenario(permissive);
  await connect(permissive, scenario, 0, "alpha");
  await connect(permissive, scenario, 1, "beta");
  const stored = await permissive.pool.query<{ config: Record<string, unknown>; api_key_sealed: string }>("SELECT config, api_key_sealed FROM subject_endpoints WHERE subject_id = ANY($1::uuid[])", [scenario.subjects.map((s) => s.id)]);
  assert.equal(stored.rows.length, 2);
  for (const row of stored.rows) {
    assert.equal(row.config.apiKey, undefined);
    assert.match(row.api_key_sealed, /^cpk1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  }
  // a row written before keys were sealed
  const legacySubject = scenario.subjects[2]?.id;
  await permissive.pool.query("INSERT INTO subject_endpoints (subject_id, config) VALUES ($1, $2)", [legacySubject, JSON.stringify({ kind: "openai_compatible", baseURL: llm.baseURL, model: "alpha", apiKey: KEY, maxRetries: 0 })]);
  assert.equal(await sealLegacyEndpointKeys({ pool: permissive.pool, secret: TEST_SECRET }), 1);
  const participant = await joinAs(permissive.baseUrl, scenario);
  const battle = await liveBattle(participant, scenario.slug, "What documents do I need?");
  assert.equal(battle.events.at(-1)?.event, "ready", "the sealed key was opened and accepted by the endpoint");
  const tables = await permissive.pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
  for (const { table_name } of tables.rows) {
    const found = await permissive.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" t WHERE t::text LIKE $1`, [`%${KEY.slice(3, 20)}%`]);
    assert.equal(found.rows[0]?.n, 0, `${table_name} holds the key in plaintext`);
  }
});

test("circuit breaker: a failing subject opens after three failures, shows only a fixed phrase, and recovers after the cool-down", async () => {
  const scenario = await liveScenario(permissive);
  await connect(permissive, scenario, 0, "alpha");
  await connect(permissive, scenario, 1, "flaky");
  const participant = await joinAs(permissive.baseUrl, scenario);
  const flakyId = scenario.subjects[1]?.id;
  const requestsFor = () => llm.requests.filter((r) => r.body.model === "flaky").length;
  const before = requestsFor();
  for (let i = 1; i <= 3; i += 1) {
    const battle = await liveBattle(participant, scenario.slug, `Question ${i}?`);
    assert.equal(battle.events.at(-1)?.event, "error");
    assert.equal(requestsFor(), before + i);
  }
  const subjects = async (client: Client) =>
    (await client.get<{ subjects: { id: string; available: boolean; unavailableReason: string | null }[] }>(`/api/evaluations/${scenario.slug}/subjects`)).body.subjects.find((s) => s.id === flakyId);
  assert.deepEqual(await subjects(participant), { ...(await subjects(participant)), available: false, unavailableReason: "the system is not answering" });
  const organiserView = await subjects(scenario.organiser);
  assert.match(organiserView?.unavailableReason ?? "", /^unreachable \(HTTP 500\): /);
  assert.ok(!JSON.stringify(organiserView).includes("hunter2") && !JSON.stringify(organiserView).includes("10.0.0.5"), "the endpoint's own words are never shown");
  const stored = await permissive.pool.query("SELECT * FROM subjects s LEFT JOIN endpoint_circuits c ON c.subject_id = s.id WHERE s.id = $1", [flakyId]);
  assert.ok(!JSON.stringify(stored.rows).includes("hunter2"), "nor stored");

  // open: no call reaches it, the battle is refused before anything streams
  const whileOpen = await liveBattle(participant, scenario.slug, "Question 4?");
  assert.equal(whileOpen.status, 404);
  assert.equal(requestsFor(), before + 3);

  // after the cool-down one probe goes through; it succeeds and closes the circuit
  clock = new Date(clock.getTime() + 31_000);
  const probe = await liveBattle(participant, scenario.slug, "Question 5?");
  assert.equal(probe.events.at(-1)?.event, "ready", JSON.stringify(probe.events));
  assert.equal(requestsFor(), before + 4);
  assert.equal((await subjects(participant))?.available, true);
  const circuit = await permissive.pool.query<{ consecutive_failures: number; open_until: Date | null }>("SELECT consecutive_failures, open_until FROM endpoint_circuits WHERE subject_id = $1", [flakyId]);
  assert.deepEqual(circuit.rows[0], { consecutive_failures: 0, open_until: null });
});

test("quotas: the charter's per-participant and per-evaluation daily limits refuse the next live battle with 429 quota_exceeded and write nothing", async () => {
  const scenario = await liveScenario(permissive, { liveBattles: { perParticipantPerDay: 2, perEvaluationPerDay: 3 } });
  await connect(permissive, scenario, 0, "alpha");
  await connect(permissive, scenario, 1, "beta");
  const first = await joinAs(permissive.baseUrl, scenario);
  const second = await joinAs(permissive.baseUrl, scenario);
  for (let i = 0; i < 2; i += 1) assert.equal((await liveBattle(first, scenario.slug, `First asks ${i}?`)).events.at(-1)?.event, "ready");
  const counts = await rowCounts(permissive.pool);
  const battles = async () => (await permissive.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM live_battles")).rows[0]?.n;
  const started = await battles();
  const requests = llm.requests.length;
  const refused = await first.request<{ code: string; field: string; status: number }>("POST", `/api/evaluations/${scenario.slug}/live-battles`, { prompt: "One more?" });
  assert.equal(refused.status, 429);
  assert.match(refused.contentType, /application\/problem\+json/);
  assert.equal(refused.body.code, "quota_exceeded");
  assert.equal(refused.body.field, "liveBattles.perParticipantPerDay");
  assert.deepEqual(await rowCounts(permissive.pool), counts, "nothing written");
  assert.equal(await battles(), started);
  assert.equal(llm.requests.length, requests, "no endpoint was called");

  assert.equal((await liveBattle(second, scenario.slug, "Second asks?")).events.at(-1)?.event, "ready");
  const evaluationFull = await second.request<{ code: string; field: string }>("POST", `/api/evaluations/${scenario.slug}/live-battles`, { prompt: "Second again?" });
  assert.equal(evaluationFull.status, 429);
  assert.equal(evaluationFull.body.field, "liveBattles.perEvaluationPerDay");

  clock = new Date(clock.getTime() + 24 * 60 * 60 * 1000 + 1000);
  assert.equal((await liveBattle(first, scenario.slug, "A day later?")).events.at(-1)?.event, "ready", "the window is the last 24 hours");
});
