/** `counterpublic analyze` and `import` read a file through the same parser: the same fixture gives the same dataset. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { readDataset } from "../../../src/connectors/formats/index.ts";
import { readLlmfaoFolder } from "../../../src/connectors/formats/llmfao.ts";
import { batchFromText } from "../../../src/connectors/importers/index.ts";
import { llmfaoBatch } from "../../../src/connectors/importers/llmfao.ts";
import { DEMO_DATA_DIR } from "../../../src/modules/demo/service.ts";
import { fixturePath, fixtureText } from "../../analytics/fixtures.ts";

test("llmfao: the imported pairwise judgments are the analysed comparisons, in file order", async () => {
  const analysed = await readDataset(fixturePath("llmfao/crowd-comparisons.csv"), "llmfao");
  assert.equal(analysed.kind, "pairwise");
  if (analysed.kind !== "pairwise") return;
  const names = analysed.input.subjects;
  const fromAnalysis = (analysed.input.comparisons ?? []).map((c) => [names[c.a], names[c.b], c.outcome, c.participant]);
  const imported = batchFromText("llmfao", fixtureText("llmfao/crowd-comparisons.csv")).pairwise ?? [];
  assert.equal(imported.length, 8931);
  assert.deepEqual(imported.map((p) => [p.subjectA, p.subjectB, p.outcome, p.participant]), fromAnalysis);
});

test("llmfao folder: its comparisons are the analysed ones, model_x (left) as side a", async () => {
  const analysed = await readDataset(path.join(DEMO_DATA_DIR, "crowd-comparisons.csv"), "llmfao");
  if (analysed.kind !== "pairwise") return assert.fail("pairwise expected");
  const names = analysed.input.subjects;
  const batch = llmfaoBatch(readLlmfaoFolder(DEMO_DATA_DIR));
  assert.deepEqual(
    (batch.pairwise ?? []).map((p) => [p.subjectA, p.subjectB, p.outcome, p.participant]),
    (analysed.input.comparisons ?? []).map((c) => [names[c.a], names[c.b], c.outcome, `llmfao-worker-${c.participant}`]),
  );
});

test("oasst: the imported rankings are the analysed sibling groups, message and tree exports alike", async () => {
  const messages = gunzipSync(readFileSync(fixturePath("openassistant/en_100_message.jsonl.gz"))).toString("utf8");
  const fromMessages = batchFromText("oasst", messages);
  const trees = await readDataset(fixturePath("openassistant/en_100_tree.ranks.jsonl"), "oasst");
  if (trees.kind !== "ranking-groups") return assert.fail("ranking groups expected");
  const subject = (id: string | undefined) => `oasst reply ${(id ?? "").slice(0, 8)}`;
  const analysed = trees.groups.map((g) => ({ itemRef: g.parentId, order: (g.rankings[0]?.groups ?? []).map((tie) => tie.map((i) => subject(g.replies[i]))) }));
  assert.equal(analysed.length, 212);
  assert.deepEqual(fromMessages.rankings?.map((r) => ({ itemRef: r.itemRef, order: r.order })), analysed);
});
