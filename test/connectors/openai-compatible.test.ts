import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ConnectorError } from "../../src/connectors/llm/errors.ts";
import { OpenAICompatibleConnector } from "../../src/connectors/llm/openai-compatible.ts";
import type { OpenAICompatibleConfig } from "../../src/connectors/llm/config.ts";
import type { ConnectorLogEntry } from "../../src/connectors/llm/types.ts";
import { closedPort, LOOPBACK_ALLOWED, startFakeOpenAIServer, type FakeOpenAIServer } from "./support/fake-openai-server.ts";
import { collect, HELLO } from "./support/collect.ts";

const KEY = "sk-test-4d1f0c9e8b7a6f5e4d3c2b1a";
let server: FakeOpenAIServer;

before(async () => {
  server = await startFakeOpenAIServer(KEY);
});
after(async () => {
  await server.close();
});

function connector(model: string, overrides: Partial<OpenAICompatibleConfig> = {}, logs: ConnectorLogEntry[] = []): OpenAICompatibleConnector {
  const config: OpenAICompatibleConfig = { kind: "openai_compatible", baseURL: server.baseURL, apiKey: KEY, model, retryBaseDelayMs: 10, ...overrides };
  return new OpenAICompatibleConnector(config, { logger: (entry) => logs.push(entry), random: () => 0.5, outbound: LOOPBACK_ALLOWED });
}

function requestsFor(model: string): number {
  return server.requests.filter((request) => request.body.model === model).length;
}

function assertConnectorError(error: unknown, code: ConnectorError["code"]): ConnectorError {
  assert.ok(error instanceof ConnectorError, `expected a ConnectorError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}

test("streams deltas then one done event with the server's usage", async () => {
  server.script("m-ok", [{ type: "stream", chunks: ["Hel", "lo", ", world"], usage: { prompt: 9, completion: 4 } }]);
  const outcome = await collect(connector("m-ok"), { ...HELLO, maxTokens: 20, temperature: 0.3 });
  assert.equal(outcome.error, undefined);
  assert.deepEqual(outcome.events.slice(0, 3), [
    { kind: "delta", text: "Hel" },
    { kind: "delta", text: "lo" },
    { kind: "delta", text: ", world" },
  ]);
  const done = outcome.events[3];
  assert.equal(outcome.events.length, 4);
  assert.ok(done?.kind === "done");
  assert.equal(done.text, "Hello, world");
  assert.deepEqual(done.usage, { promptTokens: 9, completionTokens: 4, source: "reported" });
  assert.equal(done.finishReason, "stop");
  assert.equal(done.attempts, 1);
  assert.ok(done.firstTokenMs !== null && done.firstTokenMs >= 0 && done.firstTokenMs <= done.latencyMs);
  const sent = server.requests.find((request) => request.body.model === "m-ok");
  assert.equal(sent?.authorization, `Bearer ${KEY}`);
  assert.equal(sent?.body.stream, true);
  assert.deepEqual(sent?.body.stream_options, { include_usage: true });
  assert.equal(sent?.body.max_tokens, 20);
  assert.equal(sent?.body.temperature, 0.3);
  assert.deepEqual(sent?.body.messages, [{ role: "user", content: "Say hello." }]);
});

test("without server usage, completion tokens are the counted content chunks and prompt tokens unknown", async () => {
  server.script("m-nousage", [{ type: "stream", chunks: ["a", "b", "c", "d", "e"], usage: "never", finish: "length" }]);
  const outcome = await collect(connector("m-nousage", { includeUsage: false }), HELLO);
  const done = outcome.events.at(-1);
  assert.ok(done?.kind === "done", String(outcome.error));
  assert.deepEqual(done.usage, { promptTokens: null, completionTokens: 5, source: "counted_chunks" });
  assert.equal(done.finishReason, "length");
  assert.equal(server.requests.find((request) => request.body.model === "m-nousage")?.body.stream_options, undefined);
});

test("a 429 with retry-after is waited out, then the stream succeeds", async () => {
  const logs: ConnectorLogEntry[] = [];
  server.script("m-429", [
    { type: "error", status: 429, headers: { "retry-after": "1" }, body: { error: { message: "Rate limit reached for requests", type: "requests", param: null, code: "rate_limit_exceeded" } } },
    { type: "stream", chunks: ["ok"] },
  ]);
  const outcome = await collect(connector("m-429", {}, logs), HELLO);
  const done = outcome.events.at(-1);
  assert.ok(done?.kind === "done", String(outcome.error));
  assert.equal(done.text, "ok");
  assert.equal(done.attempts, 2);
  assert.ok(outcome.elapsedMs >= 950, `waited only ${outcome.elapsedMs} ms for retry-after: 1`);
  assert.equal(requestsFor("m-429"), 2);
  const retry = logs.find((entry) => entry.event === "retry");
  assert.equal(retry?.delayMs, 1000);
});

test("a 500 is retried with backoff, then the stream succeeds", async () => {
  server.script("m-500", [
    { type: "error", status: 500, body: { error: { message: "The server had an error while processing your request.", type: "server_error", param: null, code: null } } },
    { type: "stream", chunks: ["fine"] },
  ]);
  const outcome = await collect(connector("m-500"), HELLO);
  const done = outcome.events.at(-1);
  assert.ok(done?.kind === "done", String(outcome.error));
  assert.equal(done.attempts, 2);
  assert.equal(requestsFor("m-500"), 2);
});

test("persistent 429s give up as rate_limited after maxRetries", async () => {
  server.script("m-429-always", [{ type: "error", status: 429, body: { error: { message: "slow down", type: "requests", param: null, code: "rate_limit_exceeded" } } }]);
  const outcome = await collect(connector("m-429-always", { maxRetries: 2 }), HELLO);
  const error = assertConnectorError(outcome.error, "rate_limited");
  assert.equal(error.details.status, 429);
  assert.equal(requestsFor("m-429-always"), 3);
});

test("a retry-after longer than the limit fails at once as rate_limited", async () => {
  server.script("m-429-long", [{ type: "error", status: 429, headers: { "retry-after": "120" }, body: { error: { message: "quota", type: "requests", param: null, code: null } } }]);
  const outcome = await collect(connector("m-429-long", { maxRetryAfterMs: 5_000 }), HELLO);
  const error = assertConnectorError(outcome.error, "rate_limited");
  assert.equal(error.details.retryAfterMs, 120_000);
  assert.equal(requestsFor("m-429-long"), 1);
});

test("a stream that stalls midway times out, keeps the text already streamed, and releases the socket", async () => {
  server.script("m-stall", [{ type: "stream", chunks: ["one ", "two ", "three"], stallAfter: 2 }]);
  const before = server.closedEarly();
  const outcome = await collect(connector("m-stall", { stallTimeoutMs: 250 }), HELLO);
  assertConnectorError(outcome.error, "timeout");
  assert.deepEqual(outcome.events, [{ kind: "delta", text: "one " }, { kind: "delta", text: "two " }]);
  assert.ok(outcome.elapsedMs < 3_000, `took ${outcome.elapsedMs} ms`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(server.closedEarly(), before + 1);
});

test("a stream that stops without a finish_reason is stream_interrupted", async () => {
  server.script("m-nofinish", [{ type: "stream", chunks: ["partial"], finish: null, usage: "never", endWithoutDone: true }]);
  const outcome = await collect(connector("m-nofinish"), HELLO);
  assertConnectorError(outcome.error, "stream_interrupted");
  assert.deepEqual(outcome.events, [{ kind: "delta", text: "partial" }]);
});

test("a connection dropped mid-stream is stream_interrupted and is not retried", async () => {
  server.script("m-drop", [{ type: "stream", chunks: ["a", "b", "c"], destroyAfter: 1 }]);
  const outcome = await collect(connector("m-drop"), HELLO);
  assertConnectorError(outcome.error, "stream_interrupted");
  assert.equal(requestsFor("m-drop"), 1);
});

test("a wrong key is auth (401), not retried", async () => {
  const wrong = new OpenAICompatibleConnector({ kind: "openai_compatible", baseURL: server.baseURL, apiKey: "sk-wrong-0000000000", model: "m-ok" }, { outbound: LOOPBACK_ALLOWED });
  const before = server.requests.length;
  const outcome = await collect(wrong, HELLO);
  const error = assertConnectorError(outcome.error, "auth");
  assert.equal(error.details.status, 401);
  assert.equal(server.requests.length, before + 1);
});

test("an unknown model is unknown_model (404 model_not_found)", async () => {
  const outcome = await collect(connector("no-such-model"), HELLO);
  const error = assertConnectorError(outcome.error, "unknown_model");
  assert.match(error.reason, /no-such-model/);
});

test("a base URL without the API path is unreachable, with a hint", async () => {
  const outcome = await collect(connector("m-ok", { baseURL: `http://127.0.0.1:${server.port}/` }), HELLO);
  const error = assertConnectorError(outcome.error, "unreachable");
  assert.match(error.reason, /base URL/);
});

test("a port with nothing listening is unreachable (connection refused)", async () => {
  const port = await closedPort();
  const outcome = await collect(connector("m-ok", { baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 }), HELLO);
  const error = assertConnectorError(outcome.error, "unreachable");
  assert.match(error.reason, /connection refused/);
});

test("a 200 that is not an event stream is bad_response", async () => {
  server.script("m-json", [{ type: "json", body: { id: "x", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }] } }]);
  const outcome = await collect(connector("m-json"), HELLO);
  assertConnectorError(outcome.error, "bad_response");
});

test("the per-subject concurrency limit holds: 5 calls, at most 2 in flight", async () => {
  server.script("m-slow", [{ type: "stream", chunks: ["x", "y", "z"], chunkDelayMs: 40 }]);
  const limited = connector("m-slow", { maxConcurrency: 2 });
  const peak = server.maxInFlight();
  assert.equal(peak, 1, "earlier tests ran one request at a time");
  const outcomes = await Promise.all(Array.from({ length: 5 }, () => collect(limited, HELLO)));
  for (const outcome of outcomes) assert.equal(outcome.events.at(-1)?.kind, "done", String(outcome.error));
  assert.equal(server.maxInFlight(), 2);
});

test("aborting by the caller's signal rejects with an AbortError, not a ConnectorError", async () => {
  server.script("m-abort", [{ type: "stream", chunks: ["a", "b", "c", "d"], chunkDelayMs: 100 }]);
  const controller = new AbortController();
  // abort once the first words have arrived, however loaded the machine is
  const outcome = await collect(connector("m-abort"), { ...HELLO, signal: controller.signal }, () => controller.abort());
  assert.ok(!(outcome.error instanceof ConnectorError), String(outcome.error));
  assert.equal((outcome.error as Error).name, "AbortError");
  assert.ok(outcome.events.length >= 1 && outcome.events.every((event) => event.kind === "delta"));
});
