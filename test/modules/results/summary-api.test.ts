import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { ensureDemo } from "../../../src/modules/demo/service.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

interface Summary {
  leadRule: string | null;
  certainty: string;
  tiers: { subjects: string[] }[];
  sentences: { topic: string; key: string; values: Record<string, unknown> }[];
  text: string[];
}
interface Results {
  summary: Summary;
  rules: { rule: string; subjects: { name: string; score: number; lower: number | null; upper: number | null; rank: number }[] }[];
  suppressedRules: { rule: string }[];
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await ensureDemo({ pool: server.pool });
});
after(async () => server.close());

/** LLMFAO's published Bradley–Terry scores (evalica, over the same crowd comparisons), best first. */
function goldenOrder(): string[] {
  const lines = readFileSync(new URL("../../fixtures/llmfao/golden-rankings.csv", import.meta.url), "utf8").trim().split("\n").slice(1);
  return lines
    .map((line) => line.split(","))
    .filter((cells) => cells[0] === "bradley_terry")
    .sort((a, b) => Number(b[2]) - Number(a[2]))
    .map((cells) => cells[1] ?? "");
}

test("the demo's results carry a plain-words summary: tiers instead of a shared rank 1, people counted, every sentence also in English", async () => {
  const response = await new Client(server.baseUrl).get<Results>("/api/evaluations/llmfao/results?by=community");
  assert.equal(response.status, 200);
  const { summary, rules } = response.body;
  assert.equal(summary.leadRule, "bt");
  const bt = rules.find((r) => r.rule === "bt");
  assert.ok(bt);
  // the tiers partition Bradley–Terry's order, best first, without reordering anyone
  assert.deepEqual(summary.tiers.flatMap((t) => t.subjects), bt.subjects.map((s) => s.name));
  const top = summary.tiers[0]?.subjects ?? [];
  const rankOne = bt.subjects.filter((s) => s.rank === 1).map((s) => s.name);
  assert.ok(top.length > 1, "the demo's leaders cannot be told apart");
  assert.deepEqual([...top].sort(), [...rankOne].sort(), "the leading tier is exactly the subjects Bradley–Terry ranks first");
  // every subject of the first tier overlaps the leader's interval; the first of the second does not
  const leader = bt.subjects[0];
  const next = bt.subjects.find((s) => s.name === summary.tiers[1]?.subjects[0]);
  assert.ok(leader && next && next.upper !== null && leader.lower !== null && next.upper < leader.lower);
  // the leader agrees with the published golden ranking's leading group (LLMFAO's own Bradley–Terry)
  assert.ok(top.includes(goldenOrder()[0] ?? ""), `golden leader ${goldenOrder()[0]} is in the leading tier`);
  const lead = summary.sentences[0];
  assert.equal(lead?.topic, "lead");
  assert.ok(lead?.key === "sharedLead" || lead?.key === "sharedLeadMore");
  assert.equal(lead?.values.count, top.length);
  const people = summary.sentences.find((s) => s.key === "people.pairwise");
  assert.equal(people?.values.count, 124, "the 124 crowd workers of LLMFAO");
  assert.equal(people?.values.judgments, 8931, "every crowd comparison is counted");
  assert.equal(summary.text.length, summary.sentences.length);
  assert.match(summary.text[0] ?? "", /share the lead under Bradley–Terry/);
  assert.ok(summary.text.every((line) => !/\{\{|undefined/.test(line)), summary.text.join("\n"));
});

test("a rule fed by too few rankings is named 'not enough rankings yet', never shown", async () => {
  const response = await new Client(server.baseUrl).get<Results>("/api/evaluations/llmfao/results");
  const hidden = response.body.suppressedRules.map((r) => r.rule);
  const said = response.body.summary.sentences.filter((s) => s.key === "notEnoughRankings" || s.key === "notEnoughContributors").map((s) => s.values.rule);
  assert.deepEqual(said, hidden);
});
