/**
 * As root, PostgreSQL runs as the system user "postgres"; a data folder under a private parent
 * (mode 700, as `mktemp -d` makes) must still work, with one line saying what was opened.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";

const isRoot = process.getuid?.() === 0;
const parent = mkdtempSync(path.join(tmpdir(), "counterpublic-private-"));
after(() => rmSync(parent, { recursive: true, force: true }));

function migrate(dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, ["bin/counterpublic.js", "migrate", "--data-dir", dataDir], { env, encoding: "utf8", timeout: 120_000 });
}

test("a data folder under a mode-700 parent works as root", { skip: isRoot ? false : "only root runs PostgreSQL as another user (the postgres system user); run the suite as root to check this", timeout: 240_000 }, () => {
  chmodSync(parent, 0o700);
  const dataDir = path.join(parent, "data");
  const first = migrate(dataDir);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /the schema is up to date/);
  const notice = first.stderr.split("\n").filter(Boolean);
  assert.equal(notice.length, 1, `one line, no stack trace: ${first.stderr}`);
  assert.match(notice[0] ?? "", new RegExp(`system user "postgres".*granted it search permission \\(chmod o\\+x, no listing\\) on ${parent}$`));
  assert.equal(statSync(parent).mode & 0o777, 0o701, "others may enter the parent, not list it");

  const again = migrate(dataDir);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stderr, "", "nothing to grant the second time");
});
