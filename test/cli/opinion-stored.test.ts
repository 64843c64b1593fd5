import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { fixturePath } from "../analytics/fixtures.ts";
import { openEvaluation } from "../support/scenario.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

const read = (file: string) => gunzipSync(readFileSync(fixturePath(`polis/bg2050-volunteers/${file}.gz`))).toString("utf8");

function cli(args: string[], databaseUrl?: string) {
  const env = { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  return spawnSync(process.execPath, ["bin/counterpublic.js", ...args], { env, encoding: "utf8" });
}

interface Report {
  groups: { participants: string[] }[];
  groupInformedConsensus: Record<string, number>;
}

test("`opinion <evaluation>` maps stored statement votes exactly as `opinion <polis-dir>` maps the same export", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const comments = read("comments.csv");
  const votes = read("votes.csv");
  const imported = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/statements/import`, { comments, votes, consentScopes: ["aggregate"] });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));

  const dir = mkdtempSync(path.join(tmpdir(), "bg2050-"));
  writeFileSync(path.join(dir, "comments.csv"), comments);
  writeFileSync(path.join(dir, "votes.csv"), votes);
  const fromFolder = cli(["opinion", dir, "--json"]);
  assert.equal(fromFolder.status, 0, fromFolder.stderr);
  const fromStore = cli(["opinion", scenario.slug, "--json"], server.url);
  assert.equal(fromStore.status, 0, fromStore.stderr);

  const a = JSON.parse(fromFolder.stdout) as Report;
  const b = JSON.parse(fromStore.stdout) as Report;
  const partition = (r: Report, rename: (id: string) => string) => r.groups.map((g) => g.participants.map(rename).sort().join(",")).sort();
  assert.deepEqual(partition(b, (p) => p.replace(/^polis-/, "")), partition(a, (p) => p), "the same groups, participants named by pseudonym");
  const values = (r: Report) => Object.values(r.groupInformedConsensus).sort((x, y) => x - y);
  const [va, vb] = [values(a), values(b)];
  assert.equal(va.length, vb.length);
  va.forEach((value, i) => assert.ok(Math.abs(value - (vb[i] ?? NaN)) < 1e-12));
  assert.ok(b.groups.flatMap((g) => g.participants).every((p) => p.startsWith("polis-")), "participants appear by pseudonym, never by internal id");
});
