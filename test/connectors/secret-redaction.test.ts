/**
 * The API key must appear nowhere: not in errors (message, reason, stack, JSON, inspected form), not in
 * log entries, not on stdout/stderr, not in the described config, not in the inspected connector, even
 * when the server echoes the key back in its error body as OpenAI does.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { inspect } from "node:util";
import { describeConnectorConfig, type OpenAICompatibleConfig } from "../../src/connectors/llm/config.ts";
import { OpenAICompatibleConnector } from "../../src/connectors/llm/openai-compatible.ts";
import type { ConnectorLogEntry } from "../../src/connectors/llm/types.ts";
import { closedPort, LOOPBACK_ALLOWED, startFakeOpenAIServer } from "./support/fake-openai-server.ts";
import { collect, HELLO } from "./support/collect.ts";

const KEY = "sk-live-SECRET-9e1b7c35a0d24f68";

/** Runs `body` while copying everything written to stdout/stderr (console included). */
async function capturingOutput(body: () => Promise<void>): Promise<string> {
  const captured: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, index) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return (originals[index] as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });
  try {
    await body();
  } finally {
    streams.forEach((stream, index) => {
      stream.write = originals[index] as typeof stream.write;
    });
  }
  return captured.join("");
}

function everyFormOf(error: unknown): string[] {
  if (!(error instanceof Error)) return [String(error)];
  const withReason = error as Error & { reason?: string };
  return [error.message, error.stack ?? "", String(withReason.reason), JSON.stringify(error), inspect(error, { depth: Infinity, showHidden: true }), String(error)];
}

test("the API key appears in no error, log line, output or described config", async () => {
  const server = await startFakeOpenAIServer("sk-the-right-key-is-different");
  const logs: ConnectorLogEntry[] = [];
  const texts: string[] = [];
  const deadPort = await closedPort();
  const configs: OpenAICompatibleConfig[] = [
    { kind: "openai_compatible", baseURL: server.baseURL, apiKey: KEY, model: "m", maxRetries: 1, retryBaseDelayMs: 5 },
    { kind: "openai_compatible", baseURL: `http://127.0.0.1:${deadPort}/v1`, apiKey: KEY, model: "m", maxRetries: 0 },
    { kind: "openai_compatible", baseURL: `http://user:${KEY}@127.0.0.1:${server.port}/v1`, apiKey: KEY, model: "m", maxRetries: 0 },
    { kind: "openai_compatible", baseURL: `${server.baseURL}?api-key=${KEY}`, apiKey: KEY, model: "m", maxRetries: 0 },
  ];
  try {
    const output = await capturingOutput(async () => {
      for (const [index, config] of configs.entries()) {
        const connector = new OpenAICompatibleConnector(config, { logger: (entry) => logs.push(entry), outbound: LOOPBACK_ALLOWED });
        const outcome = await collect(connector, HELLO);
        assert.ok(outcome.error, `config #${index} should have failed`);
        texts.push(...everyFormOf(outcome.error), inspect(connector, { depth: Infinity, showHidden: true }), JSON.stringify(connector));
        texts.push(JSON.stringify(describeConnectorConfig(config)), inspect(describeConnectorConfig(config), { depth: Infinity }));
      }
    });
    texts.push(output, JSON.stringify(logs));
  } finally {
    await server.close();
  }
  // the server did echo the key (OpenAI's 401 text does), so redaction was really exercised
  assert.ok(server.requests.some((request) => request.authorization === `Bearer ${KEY}`));
  assert.ok(logs.some((entry) => entry.event === "failure" && entry.code === "auth"));
  assert.ok(texts.some((text) => text.includes("[redacted]")), "the echoed key was replaced, not just absent");
  for (const text of texts) assert.ok(!text.includes(KEY), `the key leaked into: ${text.replace(KEY, "<KEY>").slice(0, 300)}`);
  assert.ok(!texts.join("\n").includes("SECRET-9e1b7c35"), "no fragment of the key either");
});

test("describeConnectorConfig says whether a key is set, never what it is", () => {
  const view = describeConnectorConfig({ kind: "openai_compatible", baseURL: "https://u:pw@api.example.org/v1?api-key=abc&region=eu", apiKey: KEY, model: "gpt-4o" });
  assert.deepEqual(view, { kind: "openai_compatible", baseURL: "https://api.example.org/v1?api-key=redacted&region=eu", apiKey: "set", model: "gpt-4o" });
  const keyless = describeConnectorConfig({ kind: "openai_compatible", baseURL: "http://127.0.0.1:11434/v1", model: "llama3" });
  assert.equal(keyless.kind === "openai_compatible" && keyless.apiKey, "not set");
});
