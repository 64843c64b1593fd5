import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { FormatError, readDataset } from "../../../src/connectors/formats/index.ts";
import { parseFastchat } from "../../../src/connectors/formats/fastchat.ts";

const dir = mkdtempSync(path.join(tmpdir(), "fastchat-"));
const battles = [
  { model_a: "m1", model_b: "m2", winner: "model_a", judge: "u1", tstamp: 1, conversation_a: [{ role: "user", content: "hi [1]" }] },
  { model_a: "m2", model_b: "m3", winner: "tie (bothbad)", judge: "u2" },
  { model_a: "m3", model_b: "m1", winner: "model_b" },
  { model_a: "m1", model_b: "m3", winner: "tie", judge: "u1" },
];

test("a battle file read from disk as a stream equals the same text parsed whole (JSON array and JSON Lines)", async () => {
  const asArray = path.join(dir, "battles.json");
  const asLines = path.join(dir, "battles.jsonl");
  writeFileSync(asArray, `\n  ${JSON.stringify(battles, null, 2)}`);
  writeFileSync(asLines, battles.map((b) => JSON.stringify(b)).join("\r\n") + "\n\n");
  const whole = parseFastchat(JSON.stringify(battles));
  for (const file of [asArray, asLines]) {
    const streamed = await readDataset(file, "fastchat");
    assert.deepEqual(streamed, whole, file);
  }
  assert.equal(whole.kind === "pairwise" && whole.input.comparisons?.length, 4);
});

test("a malformed or invalid battle mid-stream is a FormatError naming where", async () => {
  const broken = path.join(dir, "broken.json");
  writeFileSync(broken, `[${JSON.stringify(battles[0])}, {"model_a": "m1", "model_b": `);
  await assert.rejects(readDataset(broken, "fastchat"), (e: unknown) => e instanceof FormatError && /after battle 1/.test(e.message));
  const invalid = path.join(dir, "invalid.jsonl");
  writeFileSync(invalid, `${JSON.stringify(battles[0])}\n${JSON.stringify({ model_a: "m1", model_b: "m2", winner: "left" })}\n`);
  await assert.rejects(readDataset(invalid, "fastchat"), (e: unknown) => e instanceof FormatError && /line 2/.test(e.message) && /winner/.test(e.message));
  await assert.rejects(readDataset(path.join(dir, "missing.json"), "fastchat"), (e: unknown) => e instanceof FormatError && e.code === "unreadable_file");
});
