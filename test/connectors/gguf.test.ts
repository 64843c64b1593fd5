/**
 * The local GGUF connector against a model file this test writes by hand (support/tiny-gguf.ts):
 * it must load offline through node-llama-cpp's prebuilt CPU binary and stream real tokens.
 * Skips (saying why) when the optional node-llama-cpp package is absent.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { ConnectorError } from "../../src/connectors/llm/errors.ts";
import { GgufConnector, toChatHistory } from "../../src/connectors/llm/gguf.ts";
import { releaseLocalRuntime } from "../../src/connectors/llm/local-runtime.ts";
import { collect } from "./support/collect.ts";
import { TINY_WORDS, tinyLlamaGguf } from "./support/tiny-gguf.ts";

const dir = mkdtempSync(path.join(tmpdir(), "counterpublic-gguf-"));
after(async () => {
  await releaseLocalRuntime();
  rmSync(dir, { recursive: true, force: true });
});

const hasNodeLlamaCpp = await import("node-llama-cpp").then(
  () => true,
  () => false,
);
const skip = hasNodeLlamaCpp ? false : "node-llama-cpp (optional dependency) is not installed";

function write(name: string, content: Buffer | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

test("a hand-written tiny GGUF model loads offline and streams words from its vocabulary", { skip, timeout: 120_000 }, async () => {
  const file = write("tiny.gguf", tinyLlamaGguf());
  const connector = new GgufConnector({ kind: "gguf", modelPath: file, contextSize: 512 });
  try {
    const outcome = await collect(connector, { messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Say hello." }], maxTokens: 6, temperature: 0 });
    assert.equal(outcome.error, undefined, String(outcome.error));
    const done = outcome.events.at(-1);
    assert.ok(done?.kind === "done");
    const deltas = outcome.events.filter((event) => event.kind === "delta");
    assert.ok(deltas.length >= 1);
    assert.equal(deltas.map((event) => event.text).join(""), done.text);
    // only whole words can win greedy decoding (every other output row is zero): 6 tokens, 6 words
    const words = done.text.trim().split(/\s+/);
    assert.equal(words.length, 6, done.text);
    const vocabulary = new Set(TINY_WORDS.map((word) => word.replace("▁", "")));
    for (const word of words) assert.ok(vocabulary.has(word), `"${word}" is not in the tiny vocabulary`);
    assert.equal(done.finishReason, "length");
    assert.equal(done.usage.completionTokens, 6);
    assert.equal(done.usage.source, "reported");
    assert.ok(done.usage.promptTokens !== null && done.usage.promptTokens > "Say hello.".length, "letters and bytes: more prompt tokens than characters");

    const again = await collect(connector, { messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Say hello." }], maxTokens: 6, temperature: 0 });
    assert.equal(again.events.at(-1)?.kind === "done" && again.events.at(-1)?.text, done.text, "greedy decoding is deterministic");
  } finally {
    await connector.close();
  }
});

test("a file that is not a model is not_a_model", { skip }, async () => {
  const connector = new GgufConnector({ kind: "gguf", modelPath: write("notes.gguf", '{"this": "is json"}\n') });
  const outcome = await collect(connector, { messages: [{ role: "user", content: "hi" }] });
  assert.ok(outcome.error instanceof ConnectorError);
  assert.equal(outcome.error.code, "not_a_model");
});

test("a GGUF header with broken contents is not_a_model", { skip, timeout: 60_000 }, async () => {
  const truncated = tinyLlamaGguf().subarray(0, 2_000);
  const connector = new GgufConnector({ kind: "gguf", modelPath: write("truncated.gguf", truncated) });
  await assert.rejects(connector.load(), (error: unknown) => error instanceof ConnectorError && error.code === "not_a_model");
});

test("a missing file is unreachable", { skip }, async () => {
  const connector = new GgufConnector({ kind: "gguf", modelPath: path.join(dir, "absent.gguf") });
  await assert.rejects(connector.load(), (error: unknown) => error instanceof ConnectorError && error.code === "unreachable");
});

test("chat messages become node-llama-cpp history ending with the model turn to generate", () => {
  assert.deepEqual(
    toChatHistory([
      { role: "system", content: "S" },
      { role: "user", content: "U" },
      { role: "assistant", content: "A" },
      { role: "user", content: "U2" },
    ]),
    [
      { type: "system", text: "S" },
      { type: "user", text: "U" },
      { type: "model", response: ["A"] },
      { type: "user", text: "U2" },
      { type: "model", response: [] },
    ],
  );
});
