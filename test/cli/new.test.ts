import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { testDatabase } from "../support/db.ts";

let db: Awaited<ReturnType<typeof testDatabase>>;
const work = mkdtempSync(path.join(tmpdir(), "counterpublic-new-"));
before(async () => {
  db = await testDatabase();
});
after(async () => {
  await db.close();
  rmSync(work, { recursive: true, force: true });
});

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["bin/counterpublic.js", ...args], { env: { ...process.env, DATABASE_URL: db.url }, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function assertOneLineFailure(result: { status: number | null; stderr: string }, pattern: RegExp): void {
  assert.notEqual(result.status, 0);
  const lines = result.stderr.split("\n").filter(Boolean);
  assert.equal(lines.length, 1, `one line: ${result.stderr}`);
  assert.match(lines[0] ?? "", pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at |undefined/);
}

test("new creates an evaluation with its charter and an organiser account; a second one finds the account", async () => {
  const charter = path.join(work, "charter.yaml");
  writeFileSync(charter, "purpose: Which assistant answers tenants' questions best?\nsponsor: Tenants' union\nkAnonymity: 5\nlanguages: [en, es]\n");
  const created = cli("new", "tenants", "--title", "Tenant questions", "--charter", charter, "--organiser", "Ana@Example.org", "--data-dir", work);
  assert.equal(created.status, 0, created.stderr);
  assert.match(created.stdout, /created evaluation "tenants"/);
  assert.match(created.stdout, /new account Ana@Example\.org, password \(shown once\): \S{20}/);
  const row = await db.pool.query<{ title: string; k: number; role: string; email: string }>(
    `SELECT e.title, (c.content->>'kAnonymity')::int AS k, r.role, u.email
       FROM evaluations e JOIN charters c ON c.evaluation_id = e.id JOIN evaluation_roles r ON r.evaluation_id = e.id JOIN "user" u ON u.id = r.user_id
      WHERE e.slug = 'tenants'`,
  );
  assert.deepEqual(row.rows, [{ title: "Tenant questions", k: 5, role: "organiser", email: "ana@example.org" }]);

  const second = cli("new", "tenants-2", "--title", "Second round", "--organiser", "ana@example.org", "--data-dir", work);
  assert.equal(second.status, 0, second.stderr);
  assert.doesNotMatch(second.stdout, /password/, "the existing account is reused");
  const accounts = await db.pool.query(`SELECT 1 FROM "user" WHERE email = 'ana@example.org'`);
  assert.equal(accounts.rowCount, 1);
});

test("new refuses a taken slug and an invalid charter in one line naming the problem", () => {
  cli("new", "taken", "--title", "First", "--organiser", "bo@example.org", "--data-dir", work);
  assertOneLineFailure(cli("new", "taken", "--title", "Again", "--organiser", "bo@example.org", "--data-dir", work), /^counterpublic: the slug taken is taken$/);

  const badCharter = path.join(work, "bad.json");
  writeFileSync(badCharter, JSON.stringify({ purpose: "p", sponsor: "s", kAnonymity: 1 }));
  assertOneLineFailure(cli("new", "bad-charter", "--title", "Bad", "--charter", badCharter, "--organiser", "bo@example.org", "--data-dir", work), /^counterpublic: invalid charter\.kAnonymity: /);
  const notJson = path.join(work, "broken.json");
  writeFileSync(notJson, "{ purpose: ");
  assertOneLineFailure(cli("new", "broken", "--title", "Broken", "--charter", notJson, "--organiser", "bo@example.org", "--data-dir", work), /^counterpublic: the charter broken\.json is not valid JSON/);
  assertOneLineFailure(cli("new", "Bad Slug", "--title", "x", "--organiser", "bo@example.org", "--data-dir", work), /^counterpublic: invalid slug: lowercase letters/);
});

test("import into a missing evaluation says how to create it", () => {
  const file = path.join(work, "battles.json");
  writeFileSync(file, JSON.stringify([{ model_a: "a", model_b: "b", winner: "model_a", judge: "j" }]));
  assertOneLineFailure(cli("import", file, "--evaluation", "nowhere", "--format", "fastchat", "--data-dir", work), /^counterpublic: no evaluation nowhere: create it with `counterpublic new nowhere --title/);
});

test("an unexpected failure is one line too, with a non-zero exit", () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  const result = spawnSync(process.execPath, ["bin/counterpublic.js", "migrate", "--data-dir", "/dev/null/data"], { env, encoding: "utf8" });
  assertOneLineFailure({ status: result.status, stderr: result.stderr }, /^counterpublic: ENOTDIR: not a directory, mkdir '\/dev\/null\/data'$/);
});
