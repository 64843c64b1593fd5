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

interface StoredReport {
  available: boolean;
  kAnonymity: number;
  groups: ({ suppressed: false; participants: number } | { suppressed: true; reason: string })[];
  groupInformedConsensus: { statementId: string; value: number }[];
}

test("`opinion <evaluation>` maps stored statement votes as `opinion <polis-dir>` maps the same export, listing no pseudonym", async () => {
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
  const b = JSON.parse(fromStore.stdout) as StoredReport;
  assert.equal(b.available, true);
  // group sizes only, suppressed below k: nobody is listed by pseudonym (or any id) for a stored evaluation
  const sizes = (r: Report) => r.groups.map((g) => g.participants.length).sort((x, y) => x - y);
  const storedSizes = b.groups.flatMap((g) => (g.suppressed ? [] : [g.participants])).sort((x, y) => x - y);
  assert.deepEqual(storedSizes, sizes(a).filter((n) => n >= b.kAnonymity));
  assert.ok(!/polis-\d/.test(fromStore.stdout), "no pseudonym appears in the output");
  const values = (r: Report) => Object.values(r.groupInformedConsensus).sort((x, y) => x - y);
  const [va, vb] = [values(a), b.groupInformedConsensus.map((g) => g.value).sort((x, y) => x - y)];
  assert.equal(va.length, vb.length);
  va.forEach((value, i) => assert.ok(Math.abs(value - (vb[i] ?? NaN)) < 1e-12));
});
