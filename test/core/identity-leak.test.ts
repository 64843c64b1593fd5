import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { detectIdentityLeak, identityNames, nameTokens } from "../../src/core/identity-leak.ts";

/** Real responses from the LLMFAO benchmark (see test/fixtures/NOTICE.md). */
interface Row {
  readonly id: number;
  readonly name: string;
  readonly org: string;
  readonly result: string;
}
const rows = new Map<number, Row>(
  readFileSync(new URL("../fixtures/llmfao/identity-leak-responses.jsonl", import.meta.url), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Row)
    .map((row) => [row.id, row]),
);
function response(id: number): Row {
  const row = rows.get(id);
  assert.ok(row, `fixture row ${id}`);
  return row;
}

test("real responses that do not name their own model or maker are not flagged", () => {
  for (const id of [547, 672, 740, 761, 1005, 1090, 1113]) {
    const row = response(id);
    assert.deepEqual(detectIdentityLeak(row.result, { subjectName: row.name, organisation: row.org }), { leaked: false, matches: [] }, `row ${id} (${row.name})`);
  }
});

test("'As an AI language model' reveals an AI, not which one (Falcon, row 547)", () => {
  const row = response(547);
  assert.match(row.result, /As an AI language model/);
  assert.equal(detectIdentityLeak(row.result, { subjectName: "Falcon Instruct (40B)", organisation: "TII UAE" }).leaked, false);
});

test("ordinary words that are also names are not flagged (real text)", () => {
  // "Together, Sally's brothers …" at a sentence start, and "adds … together": Together is RedPajama's maker
  const together = { subjectName: "RedPajama-INCITE Chat (7B)", organisation: "Together" };
  assert.match(response(672).result, /Together, Sally/);
  assert.equal(detectIdentityLeak(response(672).result, together).leaked, false);
  assert.equal(detectIdentityLeak(response(1005).result, together).leaked, false);
  // "palm leaves" against a PaLM subject, "a koala" against the Koala model
  assert.equal(detectIdentityLeak(response(761).result, { subjectName: "PaLM 2 Bison", organisation: "Google" }).leaked, false);
  assert.equal(detectIdentityLeak(response(740).result, { subjectName: "Koala (13B)", organisation: "LM Sys" }).leaked, false);
});

test("a real response that names Google is a leak when the subject is Google's (rows 1090, 1113)", () => {
  for (const id of [1090, 1113]) {
    const result = detectIdentityLeak(response(id).result, { subjectName: "PaLM 2 Bison", organisation: "Google" });
    assert.deepEqual(result, { leaked: true, matches: ["Google"] }, `row ${id}`);
  }
});

// The benchmark's prompts never ask a model who it is, and none of its 1,133 responses names its own
// model or maker; self-identification is therefore written here, in the phrasing such answers take.
test("self-identification is flagged, with the spans as written", () => {
  const cases: [string, { subjectName: string; organisation: string }, string[]][] = [
    ["I'm Claude, an AI assistant made by Anthropic.", { subjectName: "Claude 3.5 Sonnet", organisation: "Anthropic" }, ["Claude", "Anthropic"]],
    ["As ChatGPT, a large language model trained by OpenAI, I can help.", { subjectName: "GPT 3.5 Turbo", organisation: "OpenAI" }, ["ChatGPT", "OpenAI"]],
    ["I am GPT 4o.", { subjectName: "gpt-4o", organisation: "OpenAI" }, ["GPT 4o"]],
    ["Model: GPT4o-mini", { subjectName: "gpt-4o-mini", organisation: "OpenAI" }, ["GPT4o-mini"]],
    ["I was built by Open AI.", { subjectName: "gpt-4o", organisation: "OpenAI" }, ["Open AI"]],
    ["I am LLaMA, a model released by Meta.", { subjectName: "LLaMA-2-Chat (13B)", organisation: "Meta" }, ["LLaMA", "Meta"]],
    ["Hi! I'm Vicuna, trained by researchers from LMSYS.", { subjectName: "Vicuna v1.3 (13B)", organisation: "LM Sys" }, ["Vicuna", "LMSYS"]],
    ["This assistant is a Llama model.", { subjectName: "Code Llama Instruct (7B)", organisation: "Meta" }, ["Llama"]],
    ["I am an Airoboros model.", { subjectName: "Airoboros L2 70B", organisation: "Jon Durbin" }, ["Airoboros"]],
  ];
  for (const [text, identity, matches] of cases) assert.deepEqual(detectIdentityLeak(text, identity), { leaked: true, matches }, text);
});

test("near misses are not flagged", () => {
  const openai = { subjectName: "gpt-4o", organisation: "OpenAI" };
  const meta = { subjectName: "Llama 3 70B Instruct", organisation: "Meta" };
  assert.equal(detectIdentityLeak("We should reopen air travel and review the meta-analysis.", openai).leaked, false);
  assert.equal(detectIdentityLeak("A meta-analysis of 40 trials; Meta-analysis is hard.", meta).leaked, false);
  assert.equal(detectIdentityLeak("The llama and the alpaca graze in the Andes.", meta).leaked, false);
  assert.equal(detectIdentityLeak("Anthropology and claudication are long words.", { subjectName: "Claude 2", organisation: "Anthropic" }).leaked, false);
  assert.equal(detectIdentityLeak("I'm Claude, by Anthropic.", openai).leaked, false, "another maker's name is not this subject's leak");
});

test("model names are normalised across separators and letter-digit joins", () => {
  assert.deepEqual(nameTokens("GPT-4o"), ["gpt", "4", "o"]);
  assert.deepEqual(nameTokens("gpt 4o"), nameTokens("GPT4o"));
  assert.ok(identityNames({ subjectName: "Code Llama Instruct (7B)", organisation: "Meta" }).includes("Code Llama Instruct"));
  assert.ok(!identityNames({ subjectName: "Code Llama Instruct (7B)", organisation: "Meta" }).includes("Code"), "generic first words are not names");
});
