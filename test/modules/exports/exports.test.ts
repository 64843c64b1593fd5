import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parse as parseYaml } from "yaml";
import { Client, rowCounts, type TestServer } from "../../support/server.ts";
import { decide, joinAs, judgeOnce, openEvaluation, startPowerServer, type Clock } from "../../support/power-harness.ts";

let server: TestServer & { clock: Clock };
before(async () => {
  server = await startPowerServer();
});
after(async () => server.close());

interface ExportResponse {
  record: { id: string; includedCount: number; excluded: Record<string, number>; contentHash: string };
  files: { path: string; content: string }[];
}

const lab = { scope: "research", recipient: "University lab", purpose: "study of disagreement" };

async function identities(): Promise<string[]> {
  const { rows } = await server.pool.query<{ id: string; user_id: string | null }>("SELECT id, user_id FROM participants");
  return rows.flatMap((row) => [row.id, ...(row.user_id ? [row.user_id] : [])]);
}

test("every format goes through the one service; no participant or account id leaves; the HF folder reads back", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const consenting = await joinAs(server.baseUrl, scenario, ["aggregate", "research"]);
  const other = await joinAs(server.baseUrl, scenario, ["aggregate"]);
  await judgeOnce(consenting, scenario.slug, "a");
  await judgeOnce(consenting, scenario.slug, "tie");
  await judgeOnce(other, scenario.slug, "b");
  const abstained = await consenting.post(`/api/evaluations/${scenario.slug}/items/${scenario.items[0]!.id}/judgments`, { judgment: { kind: "abstention", reason: "I do not know this law" } });
  assert.equal(abstained.status, 201);
  const ids = await identities();
  for (const format of ["jsonl", "csv", "huggingface", "fastchat"]) {
    const res = await scenario.organiser.post<ExportResponse>(`/api/evaluations/${scenario.slug}/exports`, { ...lab, format });
    assert.equal(res.status, 201, `${format}: ${JSON.stringify(res.body)}`);
    for (const file of res.body.files) for (const id of ids) assert.ok(!file.content.includes(id), `${format}/${file.path} leaks ${id}`);
    if (format === "fastchat") {
      assert.equal(res.body.record.includedCount, 2, "fastchat carries the two battles only");
      assert.deepEqual(res.body.record.excluded, { consent_lacks_scope: 1, abstention_not_representable: 1 });
    } else {
      assert.equal(res.body.record.includedCount, 3);
      assert.deepEqual(res.body.record.excluded, { consent_lacks_scope: 1 });
    }
    if (format === "huggingface") {
      const data = res.body.files.find((f) => f.path === "data/train.jsonl")?.content ?? "";
      const records = data.split("\n").filter((line) => line.length > 0).map((line) => JSON.parse(line) as { participant_id: string; judgment: { kind: string } });
      assert.equal(records.length, 3);
      assert.deepEqual(records.map((r) => r.judgment.kind).sort(), ["abstention", "pairwise", "pairwise"]);
      assert.equal(new Set(records.map((r) => r.participant_id)).size, 1, "one contributor, one pseudonym");
      const readme = res.body.files.find((f) => f.path === "README.md")?.content ?? "";
      const front = /^---\n([\s\S]*?)\n---\n/.exec(readme);
      assert.ok(front, "front matter present");
      const meta = parseYaml(front[1]!) as { counterpublic: { rows: number; scope: string; recipient: string; excluded: { reason: string; count: number }[] }; configs: unknown[] };
      assert.equal(meta.counterpublic.rows, 3);
      assert.equal(meta.counterpublic.scope, "research");
      assert.equal(meta.counterpublic.recipient, "University lab");
      assert.deepEqual(meta.counterpublic.excluded, [{ reason: "consent_lacks_scope", count: 1 }]);
    }
  }
  const audit = await new Client(server.baseUrl).get<{ exports: { format: string; recipient: string; contentHash: string; included: number; requestedBy: string }[] }>(`/api/evaluations/${scenario.slug}/exports`);
  assert.equal(audit.status, 200, "the audit log is public");
  assert.deepEqual(audit.body.exports.map((e) => e.format), ["jsonl", "csv", "huggingface", "fastchat"]);
  assert.ok(audit.body.exports.every((e) => /^[0-9a-f]{64}$/.test(e.contentHash) && e.recipient === "University lab"));
});

test("polis: statements and votes leave only with the author's and voter's consent", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const consenting = await joinAs(server.baseUrl, scenario, ["aggregate", "research"]);
  const other = await joinAs(server.baseUrl, scenario, ["aggregate"]);
  const mine = await consenting.post<{ statement: { id: string } }>(`/api/evaluations/${scenario.slug}/statements`, { text: "The assistant should cite the rule it applies." });
  assert.equal(mine.status, 201, JSON.stringify(mine.body));
  const theirs = await other.post<{ statement: { id: string } }>(`/api/evaluations/${scenario.slug}/statements`, { text: "Answers should be shorter." });
  assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
  for (const [client, id, vote] of [[consenting, theirs, "agree"], [other, mine, "disagree"], [consenting, mine, "agree"]] as const) {
    const res = await client.put(`/api/evaluations/${scenario.slug}/statements/${id.body.statement.id}/vote`, { vote });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  const res = await scenario.organiser.post<ExportResponse>(`/api/evaluations/${scenario.slug}/exports`, { ...lab, format: "polis" });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const comments = res.body.files.find((f) => f.path === "comments.csv")?.content ?? "";
  const votes = res.body.files.find((f) => f.path === "votes.csv")?.content ?? "";
  assert.ok(comments.includes("cite the rule"));
  assert.ok(!comments.includes("shorter"), "a statement whose author did not consent stays in");
  assert.equal(votes.trim().split("\n").length - 1, 1, "only the consenting voter's vote on a kept statement");
  assert.equal(res.body.record.includedCount, 2);
  assert.deepEqual(res.body.record.excluded, { consent_lacks_scope: 2, statement_left_out: 1 });
});

test("withholding refuses every export (403, nothing written) until it is ended", async () => {
  const scenario = await openEvaluation(server.baseUrl, { governance: { quorum: 0 } });
  const a = await joinAs(server.baseUrl, scenario, ["aggregate", "research"]);
  const b = await joinAs(server.baseUrl, scenario, ["aggregate", "research"]);
  await judgeOnce(a, scenario.slug);
  const withheld = await decide(server, scenario, a, { kind: "withhold_data" }, [[a, "yes"], [b, "yes"]]);
  assert.deepEqual(withheld.effect, { withholding: "started" });
  const before = await rowCounts(server.pool);
  for (const format of ["jsonl", "csv", "huggingface", "fastchat"]) {
    const refused = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports`, { ...lab, format });
    assert.equal(refused.status, 403);
    assert.equal((refused.body as { code: string }).code, "export_refused");
  }
  assert.deepEqual(await rowCounts(server.pool), before);
  const ended = await decide(server, scenario, b, { kind: "end_withholding" }, [[a, "yes"], [b, "yes"]]);
  assert.deepEqual(ended.effect, { withholding: "ended" });
  assert.equal((await scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports`, lab)).status, 201);
});

test("releaseRequiresApproval: refused until a release_data proposal for this scope and recipient passes", async () => {
  const scenario = await openEvaluation(server.baseUrl, { governance: { quorum: 0, releaseRequiresApproval: true } });
  const a = await joinAs(server.baseUrl, scenario, ["aggregate", "research"]);
  await judgeOnce(a, scenario.slug);
  const before = await rowCounts(server.pool);
  assert.equal((await scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports`, lab)).status, 403);
  assert.deepEqual(await rowCounts(server.pool), before);
  const p = await decide(server, scenario, a, { kind: "release_data", payload: { scope: "research", recipient: "University lab" } }, [[a, "yes"]]);
  assert.equal(p.status, "passed");
  assert.equal((await scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports`, { ...lab, recipient: "Ad broker" })).status, 403, "approval names its recipient");
  assert.equal((await scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports`, { ...lab, scope: "publish" })).status, 403, "and its scope");
  assert.equal((await scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports`, lab)).status, 201);
});

test("a revocation takes effect at once; past exports owe the recipient a notice, which the participant sees recorded", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const a = await joinAs(server.baseUrl, scenario, ["aggregate", "research"]);
  const b = await joinAs(server.baseUrl, scenario, ["aggregate", "research"]);
  await judgeOnce(a, scenario.slug);
  await judgeOnce(b, scenario.slug);
  const first = await scenario.organiser.post<ExportResponse>(`/api/evaluations/${scenario.slug}/exports`, lab);
  assert.equal(first.body.record.includedCount, 2);
  const mineBefore = await a.get<{ exports: { id: string; pseudonym: string; notice: { owed: boolean } }[] }>(`/api/evaluations/${scenario.slug}/me/exports`);
  assert.equal(mineBefore.body.exports.length, 1);
  assert.equal(mineBefore.body.exports[0]!.notice.owed, false);
  const pseudonym = mineBefore.body.exports[0]!.pseudonym;
  assert.ok(first.body.files[0]!.content.includes(pseudonym), "the pseudonym shown to the participant is the one in the file");
  assert.equal((await a.post(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["research"] })).status, 200);
  const second = await scenario.organiser.post<ExportResponse>(`/api/evaluations/${scenario.slug}/exports`, lab);
  assert.equal(second.body.record.includedCount, 1);
  assert.ok(!second.body.files[0]!.content.includes(pseudonym));
  const owed = await a.get<{ exports: { id: string; notice: { owed: boolean; given: boolean } }[] }>(`/api/evaluations/${scenario.slug}/me/exports`);
  assert.deepEqual(owed.body.exports.map((e) => [e.id, e.notice.owed, e.notice.given]), [[first.body.record.id, true, false]]);
  const byParticipant = await a.post(`/api/evaluations/${scenario.slug}/exports/${first.body.record.id}/notices`, { participant: "all" });
  assert.equal(byParticipant.status, 403, "only an organiser records notices");
  const unknown = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports/${first.body.record.id}/notices`, { participant: "p_nobody" });
  assert.equal(unknown.status, 404);
  const noticed = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports/${first.body.record.id}/notices`, { participant: pseudonym, note: "emailed the lab" });
  assert.equal(noticed.status, 201, JSON.stringify(noticed.body));
  const given = await a.get<{ exports: { notice: { owed: boolean; given: boolean; note: string } }[] }>(`/api/evaluations/${scenario.slug}/me/exports`);
  assert.deepEqual(given.body.exports[0]!.notice.given, true);
  assert.equal(given.body.exports[0]!.notice.note, "emailed the lab");
  const bView = await b.get<{ exports: { notice: { owed: boolean } }[] }>(`/api/evaluations/${scenario.slug}/me/exports`);
  assert.deepEqual(bView.body.exports.map((e) => e.notice.owed), [false, false], "b never revoked");
});

test("the consent receipt names the charter version, its content hash, the scopes and every event", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const a = await joinAs(server.baseUrl, scenario, ["aggregate", "publish"]);
  await a.post(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["publish"] });
  const receipt = await a.get<{ charter: { version: number; contentHash: string }; scopes: { scope: string }[]; events: { change: string; charterContentHash: string }[]; receiptHash: string }>(
    `/api/evaluations/${scenario.slug}/me/consent-receipt`,
  );
  assert.equal(receipt.status, 200);
  const { rows } = await server.pool.query<{ content_hash: string }>("SELECT c.content_hash FROM charters c JOIN evaluations e ON e.id = c.evaluation_id WHERE e.slug = $1", [scenario.slug]);
  assert.deepEqual(receipt.body.charter, { version: 1, contentHash: rows[0]!.content_hash });
  assert.deepEqual(receipt.body.scopes.map((s) => s.scope), ["aggregate"]);
  assert.deepEqual(receipt.body.events.map((e) => e.change), ["grant", "revoke"]);
  assert.ok(receipt.body.events.every((e) => e.charterContentHash === rows[0]!.content_hash));
  assert.match(receipt.body.receiptHash, /^[0-9a-f]{64}$/);
  assert.equal((await new Client(server.baseUrl).get(`/api/evaluations/${scenario.slug}/me/consent-receipt`)).status, 401);
});

test("bad input answers 4xx problem+json naming the field, and changes nothing", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const a = await joinAs(server.baseUrl, scenario, ["aggregate"]);
  const before = await rowCounts(server.pool);
  const cases: [Promise<{ status: number; body: unknown; contentType: string }>, number, string][] = [
    [a.put(`/api/evaluations/${scenario.slug}/consent`, { scopes: ["aggregate", "sell_to_brokers"] }), 400, "body.scopes.1"],
    [a.post(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["publish"] }), 400, "scopes"],
    [scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports`, { scope: "research", purpose: "p" }), 400, "body.recipient"],
    [scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports`, { scope: "research", recipient: "  ", purpose: "p" }), 400, "body.recipient"],
    [scenario.organiser.post(`/api/evaluations/${scenario.slug}/exports`, { ...lab, format: "parquet" }), 400, "body.format"],
  ];
  for (const [pending, status, field] of cases) {
    const res = await pending;
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.match(res.contentType, /application\/problem\+json/);
    assert.equal((res.body as { field: string }).field, field);
  }
  assert.deepEqual(await rowCounts(server.pool), before);
});
