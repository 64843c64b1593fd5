/** The file parsers: real files, a small FastChat battle file, malformed files and an unknown format. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FormatError, parseDataset } from "../../../src/connectors/formats/index.ts";
import { fixtureText } from "../../analytics/fixtures.ts";

function pairwise(format: string, text: string) {
  const dataset = parseDataset(format, text);
  assert.equal(dataset.kind, "pairwise");
  if (dataset.kind !== "pairwise") throw new Error("unreachable");
  return dataset;
}

test("arena-pairs: 129 models, 3,460 pairs, 1,670,250 battles", () => {
  const { input, ordered } = pairwise("arena-pairs", fixtureText("arena/chatbotarena_20240814_pairs.json"));
  assert.equal(input.subjects.length, 129);
  assert.equal(input.pairs.length, 3460);
  assert.equal(input.pairs.reduce((sum, r) => sum + r.winsA + r.winsB + r.ties + r.bothBad, 0), 1_670_250);
  assert.equal(ordered, false);
});

test("llmfao: `left` is System A (model_x), `winner` left/right/tie maps to a/b/tie, the worker is the participant", () => {
  const text = "id,prompt,model_x,model_y,worker,winner,left,right\n0,8,97,98,58,left,Airoboros L2 70B,Weaver 12k\n1,8,97,98,14,right,Airoboros L2 70B,Weaver 12k\n2,8,98,97,3,tie,Weaver 12k,Airoboros L2 70B\n";
  const { input } = pairwise("llmfao", text);
  assert.deepEqual(input.subjects, ["Airoboros L2 70B", "Weaver 12k"]);
  assert.deepEqual(input.comparisons?.map((c) => [c.a, c.b, c.outcome, c.participant]), [[0, 1, "a", "58"], [0, 1, "b", "14"], [1, 0, "tie", "3"]]);
  assert.deepEqual(input.pairs, [{ a: 0, b: 1, winsA: 1, winsB: 1, ties: 1, bothBad: 0 }]);
});

test("fastchat: a JSON array or JSON Lines of battles, all four winners", () => {
  const battles = [
    { model_a: "m1", model_b: "m2", winner: "model_a" },
    { model_a: "m2", model_b: "m1", winner: "model_a" },
    { model_a: "m1", model_b: "m3", winner: "tie" },
    { model_a: "m3", model_b: "m2", winner: "tie (bothbad)" },
  ];
  const fromArray = pairwise("fastchat", JSON.stringify(battles));
  const fromLines = pairwise("fastchat", battles.map((b) => JSON.stringify(b)).join("\n"));
  assert.deepEqual(fromArray.input, fromLines.input);
  assert.deepEqual(fromArray.input.subjects, ["m1", "m2", "m3"]);
  assert.deepEqual(fromArray.input.pairs, [
    { a: 0, b: 1, winsA: 1, winsB: 1, ties: 0, bothBad: 0 },
    { a: 0, b: 2, winsA: 0, winsB: 0, ties: 1, bothBad: 0 },
    { a: 1, b: 2, winsA: 0, winsB: 0, ties: 0, bothBad: 1 },
  ]);
});

test("oasst: the message export gives the same sibling groups as the tree export", () => {
  const trees = parseDataset("oasst", fixtureText("openassistant/en_100_tree.ranks.jsonl"));
  const root = { message_id: "r", replies: [{ message_id: "x", rank: 1 }, { message_id: "y", rank: 0 }, { message_id: "z", rank: null }] };
  const messages = parseDataset("oasst", JSON.stringify(root));
  assert.equal(trees.kind === "ranking-groups" && trees.groups.length, 212);
  assert.ok(messages.kind === "ranking-groups");
  assert.deepEqual(messages.groups[0]?.rankings, [{ groups: [[1], [0]] }]);
  assert.deepEqual(messages.excluded, [{ reason: "reply without a rank beside ranked siblings", count: 1 }]);
});

function throwsFormat(run: () => unknown, code: FormatError["code"], pattern: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof FormatError && error.code === code && pattern.test(error.message));
}

test("malformed files are malformed_file errors that say what is wrong", () => {
  throwsFormat(() => parseDataset("arena-pairs", "{not json"), "malformed_file", /invalid JSON/);
  throwsFormat(() => parseDataset("arena-pairs", JSON.stringify({ models: ["a", "b"], X: [[0, 1]], Y: [] })), "malformed_file", /1 pairs but Y has 0/);
  throwsFormat(() => parseDataset("arena-pairs", JSON.stringify({ models: ["a"], X: [[0, 5]], Y: [[1, 0, 0, 0]] })), "malformed_file", /outside/);
  throwsFormat(() => parseDataset("fastchat", JSON.stringify([{ model_a: "a", model_b: "b", winner: "maybe" }])), "malformed_file", /winner/);
  throwsFormat(() => parseDataset("llmfao", "id,left,right,winner\n1,a,b,sideways\n"), "malformed_file", /winner must be left, right or tie/);
  throwsFormat(() => parseDataset("llmfao", "id,left\n1,a\n"), "malformed_file", /missing column/);
  throwsFormat(() => parseDataset("oasst", "{}\n"), "malformed_file", /line 1/);
  throwsFormat(() => parseDataset("oasst", JSON.stringify({ message_id: "r", replies: [] })), "malformed_file", /no sibling replies with a rank/);
});

test("an unknown format is unknown_format and lists the known ones", () => {
  throwsFormat(() => parseDataset("csv", "a,b"), "unknown_format", /arena-pairs, fastchat, llmfao, oasst/);
});
