/** `counterpublic analyze <fastchat dump> --rule bt --style-control`, through the built CLI as a user runs it. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { analyze } from "../../src/cli/analyze.ts";
import { fixturePath } from "../analytics/fixtures.ts";
import { fastchatBattles } from "../support/fastchat-dump.ts";

const dir = mkdtempSync(path.join(tmpdir(), "counterpublic-style-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const models = [
  { name: "sharp", strength: 0.15, length: 250 },
  { name: "solid", strength: 0.1, length: 250 },
  { name: "verbose", strength: 0, length: 750 },
];
const dump = path.join(dir, "battles.json");
writeFileSync(dump, JSON.stringify([...fastchatBattles({ models, battles: 12_000, seed: 2, lengthEffect: 2.5, realisticFields: true })], null, 4));

test("prints the coefficients, the controlled board beside the raw one, and the positions that move", () => {
  const child = spawnSync(process.execPath, ["bin/counterpublic.js", "analyze", dump, "--format", "fastchat", "--rule", "bt", "--style-control", "--rounds", "50"], { encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /== bt: 12000 judgments used/);
  assert.match(child.stdout, /== bt-style-control: 12000 battles used/);
  const length = /length {3}β = (-?[\d.]+) {2}95% \[(-?[\d.]+), (-?[\d.]+)\]/.exec(child.stdout);
  assert.ok(length, child.stdout);
  assert.ok(Number(length[2]) > 0, "the length coefficient is positive, its interval above 0");
  assert.match(child.stdout, /verbose: 1 → 3/);
});

test("--style-control on data without style counts, or with another rule, is one line and exit code 2", async () => {
  const arena = await analyze(fixturePath("arena/chatbotarena_20240814_pairs.json"), { format: "arena-pairs", rule: "bt", styleControl: true, rounds: "0" });
  assert.equal(arena.exitCode, 2);
  assert.match(arena.stderr, /^error: --style-control needs battles with style counts .*this arena-pairs file has none\n$/);
  const elo = await analyze(dump, { format: "fastchat", rule: "elo", styleControl: true });
  assert.equal(elo.exitCode, 2);
  assert.match(elo.stderr, /--rule bt/);
});
