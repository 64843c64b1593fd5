/** `counterpublic analyze`: tables, JSON, and one-line errors with exit code 2. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { analyze } from "../../../src/cli/analyze.ts";
import { fixturePath } from "../../analytics/fixtures.ts";

const ARENA = fixturePath("arena/chatbotarena_20240814_pairs.json");
const LLMFAO = fixturePath("llmfao/crowd-comparisons.csv");
const scratch = mkdtempSync(path.join(tmpdir(), "counterpublic-analyze-"));

test("a table per rule, naming the rule's parameters and assumption, then the sensitivity", async () => {
  const outcome = await analyze(LLMFAO, { format: "llmfao", rule: "all", rounds: "50", seed: "1" });
  assert.equal(outcome.exitCode, 0);
  for (const rule of ["bt", "elo", "borda", "ranked-pairs", "win-rate", "counting"]) assert.match(outcome.stdout, new RegExp(`== ${rule}: 8931 judgments used`));
  assert.match(outcome.stdout, /assumption: Each subject has one latent quality/);
  assert.match(outcome.stdout, /bt vs elo: τ = /);
});

test("--json with an anchor: Arena's board, chatgpt-4o-latest first at about 1315", async () => {
  const outcome = await analyze(ARENA, { format: "arena-pairs", rule: "bt", anchor: "mixtral-8x7b-instruct-v0.1=1114", rounds: "20", json: true });
  const parsed = JSON.parse(outcome.stdout) as { results: { rule: string; subjects: { name: string; score: number }[] }[] };
  const first = parsed.results[0]?.subjects[0];
  assert.equal(first?.name, "chatgpt-4o-latest");
  assert.ok(Math.abs((first?.score ?? 0) - 1315.16) < 0.01);
});

test("oasst: agreement of the merged order with the published rank", async () => {
  const outcome = await analyze(fixturePath("openassistant/en_100_tree.ranks.jsonl"), { format: "oasst" });
  assert.match(outcome.stdout, /ranked-pairs: merged order equals the published rank in 212 of 212 sibling groups \(100\.0%\)/);
});

const BAD_CASES: readonly [string, string, Parameters<typeof analyze>[1], RegExp][] = [
  ["malformed file", "bad.json", { format: "arena-pairs" }, /not a valid arena-pairs file/],
  ["unknown format", "bad.json", { format: "xlsx" }, /unknown format "xlsx"/],
  ["unknown anchor", "arena", { format: "arena-pairs", anchor: "nobody=1000", rounds: "0" }, /the anchor "nobody" names no subject/],
  ["zero judgments", "empty.json", { format: "arena-pairs" }, /no pairwise judgments/],
  ["single subject", "single.json", { format: "fastchat" }, /at least two subjects/],
  ["bad option", "arena", { format: "arena-pairs", rounds: "-3" }, /--rounds takes a whole number from 0 to 5000/],
  ["rounds beyond the API's bound", "arena", { format: "arena-pairs", rounds: "5001" }, /--rounds takes a whole number from 0 to 5000/],
  ["anchor beyond any rating scale", "arena", { format: "arena-pairs", anchor: "mixtral-8x7b-instruct-v0.1=1e308", rounds: "0" }, /--anchor must be NAME=VALUE/],
  ["missing file", "missing.json", { format: "fastchat" }, /cannot read/],
];

writeFileSync(path.join(scratch, "bad.json"), "{ this is not json");
writeFileSync(path.join(scratch, "empty.json"), JSON.stringify({ models: ["a", "b"], X: [[0, 1]], Y: [[0, 0, 0, 0]] }));
writeFileSync(path.join(scratch, "single.json"), JSON.stringify([{ model_a: "m", model_b: "m", winner: "tie" }]));

for (const [name, file, options, message] of BAD_CASES) {
  test(`${name}: one line on stderr, exit code 2`, async () => {
    const outcome = await analyze(file === "arena" ? ARENA : path.join(scratch, file), options);
    assert.equal(outcome.exitCode, 2);
    assert.equal(outcome.stdout, "");
    assert.match(outcome.stderr, message);
    assert.equal(outcome.stderr.trim().split("\n").length, 1);
  });
}

test("as a process: exit code 2 and no stack trace", () => {
  const root = fileURLToPath(new URL("../../..", import.meta.url));
  const script = `import { Command } from "commander"; import { register } from "./src/cli/analyze.ts";
    const program = new Command(); register(program); await program.parseAsync(process.argv.slice(1), { from: "user" });`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, "--", "analyze", path.join(scratch, "bad.json"), "--format", "arena-pairs"], { cwd: root, encoding: "utf8" });
  assert.equal(child.status, 2);
  assert.match(child.stderr, /^error: not a valid arena-pairs file: invalid JSON/);
  assert.doesNotMatch(child.stderr, /\n\s+at /);
});
