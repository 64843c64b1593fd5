import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { stripEndTokens, titleFromPrompt } from "../../src/core/response-text.ts";

test("end-of-text tokens are stripped from the end only, repeated ones too; the original is returned when changed", () => {
  assert.deepEqual(stripEndTokens("Done.</s>"), { text: "Done.", original: "Done.</s>" });
  assert.deepEqual(stripEndTokens("Done. <|endoftext|>\n</s>  "), { text: "Done.", original: "Done. <|endoftext|>\n</s>  " });
  assert.deepEqual(stripEndTokens("Use </s> to end a sequence."), { text: "Use </s> to end a sequence.", original: null });
  assert.deepEqual(stripEndTokens("plain"), { text: "plain", original: null });
});

test("real LLMFAO outputs: the 43 that end in </s> are cleaned; the one with </s> mid-text is left as it is", () => {
  const rows = readFileSync(new URL("../../data/demo/llmfao/results.jsonl", import.meta.url), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { result: string | null });
  const changed = rows.filter((r) => stripEndTokens(r.result ?? "").original !== null);
  assert.equal(changed.length, 43);
  assert.ok(changed.every((r) => !stripEndTokens(r.result ?? "").text.endsWith("</s>")));
});

test("item titles from prompts: the first line without Markdown marks, cut at a word", () => {
  assert.equal(titleFromPrompt("Argue for and against the use of kubernetes in the style of a haiku."), "Argue for and against the use of kubernetes in the style of…");
  assert.equal(titleFromPrompt("Explain simply what this function does:\n```\ndef func(lst):"), "Explain simply what this function does:");
  assert.equal(titleFromPrompt("## Write a poem"), "Write a poem");
});
