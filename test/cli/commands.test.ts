import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { ensureDemo } from "../../src/modules/demo/service.ts";
import { testDatabase } from "../support/db.ts";

let db: Awaited<ReturnType<typeof testDatabase>>;
const work = mkdtempSync(path.join(tmpdir(), "counterpublic-cli-"));
before(async () => {
  db = await testDatabase();
  await ensureDemo({ pool: db.pool });
});
after(async () => db.close());

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["bin/counterpublic.js", ...args], { env: { ...process.env, DATABASE_URL: db.url }, encoding: "utf8", timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("import FastChat battles into an evaluation, then read its results", () => {
  const battles = [
    { model_a: "chatgpt-4o-latest", model_b: "llama-3-8b", winner: "model_a", judge: "arena_user_1" },
    { model_a: "llama-3-8b", model_b: "chatgpt-4o-latest", winner: "tie (bothbad)", judge: "arena_user_2" },
    { model_a: "chatgpt-4o-latest", model_b: "llama-3-8b", winner: "model_b", judge: "arena_user_1" },
  ];
  const file = path.join(work, "battles.json");
  writeFileSync(file, JSON.stringify(battles));
  const imported = cli("import", file, "--evaluation", "llmfao", "--format", "fastchat");
  assert.equal(imported.status, 0, imported.stderr);
  assert.equal((JSON.parse(imported.stdout) as { judgments: number }).judgments, 3);
  const results = cli("results", "llmfao", "--rule", "counting", "--json");
  assert.equal(results.status, 0, results.stderr);
  const counting = (JSON.parse(results.stdout) as { rules: { rule: string; used: number; subjects: { name: string; score: number }[] }[] }).rules[0];
  assert.equal(counting?.used, 8931 + 3);
  assert.equal(counting?.subjects.find((s) => s.name === "llama-3-8b")?.score, 1.5, "one win and one both_bad (half)");
});

test("export writes consent-filtered JSONL and says what it left out", () => {
  const out = path.join(work, "export");
  const res = cli("export", "llmfao", "--scope", "research", "--recipient", "A lab", "--purpose", "replication", "--out", out);
  assert.equal(res.status, 0, res.stderr);
  const summary = JSON.parse(res.stdout) as { included: number; excluded: Record<string, number> };
  assert.equal(summary.included, 0, "the imported crowd consented to `aggregate` only");
  assert.equal(summary.excluded.consent_lacks_scope, 8934);
  assert.equal(readFileSync(path.join(out, "judgments.jsonl"), "utf8"), "");
});

test("export a Hugging Face dataset folder with its licence in the card's front matter", () => {
  const out = path.join(work, "hf");
  const res = cli("export", "llmfao", "--scope", "publish", "--recipient", "The public", "--purpose", "open data", "--format", "huggingface", "--licence", "cc-by-4.0", "--out", out);
  assert.equal(res.status, 0, res.stderr);
  const card = readFileSync(path.join(out, "README.md"), "utf8");
  assert.match(card, /^---\n[\s\S]*license: cc-by-4\.0[\s\S]*\n---\n/);
  assert.equal(readFileSync(path.join(out, "data/train.jsonl"), "utf8"), "", "nobody consented to `publish`");
});

test("bad input: one line on stderr, exit code 2, no stack trace", () => {
  for (const args of [
    ["results", "no-such-evaluation"],
    ["results", "llmfao", "--rule", "vibes"],
    ["results", "llmfao", "--rounds", "100000000"],
    ["results", "llmfao", "--seed", "-1"],
    ["export", "llmfao", "--scope", "everything", "--recipient", "x", "--purpose", "y"],
    ["import", path.join(work, "missing.json"), "--evaluation", "llmfao", "--format", "fastchat"],
    ["import", path.join(work, "battles.json"), "--evaluation", "llmfao", "--format", "excel"],
    ["analyze", path.join(work, "missing.csv"), "--format", "llmfao"],
    ["analyze", path.join(work, "battles.json"), "--format", "fastchat", "--anchor", "nobody=1000"],
    ["opinion", path.join(work, "no-polis-here")],
    // commander's own refusals are bad input too
    ["export", "llmfao", "--scope", "research"],
    ["card"],
    ["results", "llmfao", "--no-such-option"],
    ["no-such-command"],
    ["new", "fresh-slug", "--title", "T", "--organiser", "not-an-email"],
  ]) {
    const res = cli(...args);
    assert.equal(res.status, 2, `${args.join(" ")}: ${res.stderr}`);
    assert.equal(res.stderr.trim().split("\n").length, 1, res.stderr);
    assert.ok(!/\n\s+at /.test(res.stderr), "no stack trace");
  }
});

test("every database command honours COUNTERPUBLIC_DATA_DIR when --data-dir is not given, as serve and new do", () => {
  // a data folder under a regular file cannot be made: a command that honours the variable fails naming it at
  // once; one that ignores it starts an empty embedded PostgreSQL in the working folder instead
  const cwd = mkdtempSync(path.join(tmpdir(), "counterpublic-cwd-"));
  const blocker = path.join(work, "not-a-folder");
  writeFileSync(blocker, "");
  const dataDir = path.join(blocker, "data");
  const env: NodeJS.ProcessEnv = { ...process.env, COUNTERPUBLIC_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const bin = path.resolve("bin/counterpublic.js");
  for (const args of [["migrate"], ["demo"], ["card", "llmfao"], ["results", "llmfao"], ["opinion", "llmfao"], ["export", "llmfao", "--scope", "research", "--recipient", "r", "--purpose", "p"]]) {
    const result = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: "utf8", timeout: 60_000 });
    assert.notEqual(result.status, 0, `${args[0]}: ${result.stdout}`);
    assert.ok(result.stderr.includes(dataDir), `${args[0]} names ${dataDir}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.ok(!existsSync(path.join(cwd, ".counterpublic")), `${args[0]} made no database in the working folder`);
  }
});

test("export refuses an unusable --out or a licence the API would refuse before recording anything in the audit log", async () => {
  const countExports = async () => Number((await db.pool.query<{ n: string }>("SELECT count(*) AS n FROM exports")).rows[0]?.n);
  const before = await countExports();
  const aFile = path.join(work, "a-file-not-a-folder");
  writeFileSync(aFile, "");
  const cases: [string[], RegExp][] = [
    [["--out", aFile], /--out/],
    [["--out", path.join(aFile, "below")], /--out/],
    [["--format", "huggingface", "--licence", "Not A Licence!"], /--licence/],
    [["--recipient", "   "], /--recipient/],
  ];
  for (const [extra, names] of cases) {
    const res = cli("export", "llmfao", "--scope", "publish", "--recipient", "A lab", "--purpose", "replication", "--out", path.join(work, "unused"), ...extra);
    assert.equal(res.status, 2, `${extra.join(" ")}: ${res.stderr}`);
    assert.match(res.stderr, names);
    assert.equal(res.stderr.trim().split("\n").length, 1, res.stderr);
  }
  assert.equal(await countExports(), before, "no export was recorded for output that was never written");
});
