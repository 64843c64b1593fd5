/** The byte-level FastChat reader: style counts from conv_metadata, other fields stepped over, any chunk size. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { parseFastchat, readFastchatFile } from "../../../src/connectors/formats/fastchat.ts";
import { FormatError } from "../../../src/connectors/formats/index.ts";
import { fastchatBattles } from "../../support/fastchat-dump.ts";

const dir = mkdtempSync(path.join(tmpdir(), "fastchat-scan-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const models = [
  { name: "m-α", strength: 0.1, length: 300 },
  { name: "m\"quoted\"", strength: 0, length: 500 },
  { name: "m3", strength: 0.05, length: 200 },
];

test("style counts come from conv_metadata: numbers as they are, objects of numbers summed", () => {
  const battle = {
    model_a: "x",
    model_b: "y",
    winner: "model_b",
    conv_metadata: {
      sum_assistant_a_tokens: 120,
      sum_assistant_b_tokens: 480,
      header_count_a: { h1: 1, h2: 2, h3: 0, h4: 0, h5: 0, h6: 0 },
      header_count_b: 0,
      list_count_a: { ordered: 3, unordered: 4 },
      list_count_b: { ordered: 0, unordered: 1 },
      bold_count_a: { "**": 5, __: 1 },
      bold_count_b: { "**": 0, __: 0 },
      nested: { sum_assistant_a_tokens: 999 },
    },
    category_tag: { a: [1, { b: "}]\\\"" }] },
  };
  const dataset = parseFastchat(JSON.stringify([battle, { model_a: "x", model_b: "y", winner: "tie" }]));
  const style = dataset.style;
  assert.ok(style);
  assert.equal(style.withoutMetadata, 1);
  assert.deepEqual(style.battles.styleA.map((c) => c[0]), [120, 3, 7, 6]);
  assert.deepEqual(style.battles.styleB.map((c) => c[0]), [480, 0, 1, 0]);
  assert.deepEqual([...style.battles.scoreA], [0]);
  assert.equal(dataset.input.comparisons?.length, 2);
});

test("a dump read in chunks of any size (battles cut anywhere) equals the same text parsed whole", async () => {
  const battles = [...fastchatBattles({ models, battles: 300, seed: 3, lengthEffect: 1, realisticFields: true })];
  const text = JSON.stringify(battles, null, 1);
  const file = path.join(dir, "dump.json");
  writeFileSync(file, text);
  const whole = parseFastchat(text);
  assert.equal(whole.input.comparisons?.length, 300);
  assert.deepEqual(whole.input.subjects, [...new Set(battles.flatMap((b) => [b.model_a, b.model_b]))]);
  for (const chunk of [7, 64, 1000, 1 << 20]) assert.deepEqual(await readFastchatFile(file, chunk), whole, `chunk ${chunk}`);
  const lines = path.join(dir, "dump.jsonl");
  writeFileSync(lines, battles.map((b) => JSON.stringify(b)).join("\n"));
  assert.deepEqual(await readFastchatFile(lines, 50), whole);
});

test("a battle without a winner, or a dump cut short, is a FormatError naming where", async () => {
  assert.throws(() => parseFastchat(`[{"model_a": "x", "model_b": "y", "winner": "model_a"}, {"model_a": "x", "model_b": "y"}]`), (e: unknown) => e instanceof FormatError && /battle 2: winner/.test(e.message));
  assert.throws(() => parseFastchat(`[{"model_a": "x", "model_b": "y", "winner": "model_a"}, {"model_a": "x", "conv_metadata": {"a": [1, 2`), (e: unknown) => e instanceof FormatError && /after battle 1/.test(e.message));
  assert.throws(() => parseFastchat(`[{"model_a": "x", "model_b": "y", "winner": "model_a"}] trailing`), (e: unknown) => e instanceof FormatError);
  assert.throws(() => parseFastchat(`{"model_a": "x", "model_b": 3, "winner": "tie"}`), (e: unknown) => e instanceof FormatError && /line 1: model_b/.test(e.message));
});
