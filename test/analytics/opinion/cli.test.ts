/** The `opinion` command, run without a process. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { register, runOpinion, type OpinionReport } from "../../../src/cli/opinion.ts";
import { readPolisGroupIds } from "../../../src/connectors/polis/index.ts";
import { unpackPolisExport } from "./fixtures.ts";

test("--json: groups with the input's participant ids, repness per group, consensus, GIC keyed by statement id", () => {
  const dir = unpackPolisExport("scoop-hivemind.biodiversity");
  const outcome = runOpinion(dir, { json: true, seed: "3" });
  assert.equal(outcome.exitCode, 0);
  const report = JSON.parse(outcome.stdout) as OpinionReport;
  const known = new Set(readPolisGroupIds(dir).keys());
  const grouped = report.groups.flatMap((g) => g.participants);
  assert.ok(grouped.length > 400 && grouped.filter((p) => known.has(p)).length === grouped.length);
  for (const g of report.groups) assert.ok(Array.isArray(report.repness[String(g.id)]));
  assert.ok(Array.isArray(report.consensus.agree));
  assert.ok(Object.keys(report.groupInformedConsensus).length > 250);
  assert.ok(Object.values(report.groupInformedConsensus).every((v) => v > 0 && v < 1));
  assert.equal(runOpinion(dir, { json: true, seed: "3" }).stdout, outcome.stdout, "same seed, same output");
});

test("errors: one line on stderr and exit code 2", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "opinion-cli-"));
  writeFileSync(path.join(dir, "comments.csv"), "comment-id,moderated\n0,1\n");
  writeFileSync(path.join(dir, "votes.csv"), "timestamp,comment-id,voter-id,vote\n1,0,a,3\n");
  const outcome = runOpinion(dir, {});
  assert.equal(outcome.exitCode, 2);
  assert.match(outcome.stderr, /^error: votes.csv, row 2: .*not one of -1, 0, 1\n$/);
  assert.equal(runOpinion(dir, { seed: "x" }).exitCode, 2);
});

test("register adds the opinion command", () => {
  const program = new Command();
  register(program);
  const command = program.commands.find((c) => c.name() === "opinion");
  assert.ok(command);
  assert.deepEqual(command.options.map((o) => o.long), ["--json", "--seed", "--replay", "--every", "--data-dir"]);
});
