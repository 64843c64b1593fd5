/** Style control through the API, from the stored responses of the demo evaluation (LLMFAO). */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ensureDemo } from "../../../src/modules/demo/service.ts";
import { styleCounts } from "../../../src/analytics/results/style-features.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

interface Board {
  name: string;
  score: number;
  rank: number;
}
interface Body {
  rules: { rule: string; used: number; subjects: Board[] }[];
  styleControl: {
    result: {
      used: number;
      coefficients: { feature: string; estimate: number; lower: number; upper: number; standardError: number }[];
      subjects: Board[];
      raw: { subjects: Board[] };
      moves: { name: string; rawPosition: number; controlledPosition: number }[];
    } | null;
    reason: string | null;
  } | null;
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await ensureDemo({ pool: server.pool });
});
after(async () => server.close());

test("without styleControl=true there is none; with it, coefficients and a controlled board beside the raw one", async () => {
  const client = new Client(server.baseUrl);
  const plain = await client.get<Body>("/api/evaluations/llmfao/results?rule=bt&rounds=20");
  assert.equal(plain.status, 200);
  assert.equal(plain.body.styleControl, null);
  const res = await client.get<Body>("/api/evaluations/llmfao/results?rule=bt&rounds=20&styleControl=true");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const view = res.body.styleControl;
  assert.ok(view?.result, `no style control: ${view?.reason}`);
  const result = view.result;
  const bt = res.body.rules.find((r) => r.rule === "bt");
  assert.equal(result.used, bt?.used, "every counted pairwise judgment of the demo shows its two stored responses");
  assert.deepEqual(result.coefficients.map((c) => c.feature), ["length", "headers", "lists", "bold"]);
  for (const c of result.coefficients) assert.ok(c.lower <= c.estimate && c.estimate <= c.upper && c.standardError >= 0, c.feature);
  // the raw board beside is Bradley–Terry on the same judgments: the bt rule's own board
  const raw = new Map(result.raw.subjects.map((s) => [s.name, s.score]));
  for (const s of bt?.subjects ?? []) assert.ok(Math.abs((raw.get(s.name) ?? NaN) - s.score) < 1e-6, s.name);
  assert.equal(result.subjects.length, bt?.subjects.length);
  // every listed move is a real change of position by score
  const position = (board: Board[], name: string) => [...board].sort((x, y) => y.score - x.score).findIndex((s) => s.name === name) + 1;
  for (const m of result.moves) {
    assert.equal(position(result.raw.subjects, m.name), m.rawPosition, m.name);
    assert.equal(position(result.subjects, m.name), m.controlledPosition, m.name);
    assert.notEqual(m.rawPosition, m.controlledPosition);
  }
});

test("style counts of a response: tokens, headers, list items, bold, with code blocks left out of the Markdown counts", () => {
  const text = "# Title\n\nSome **bold** text, and __more__.\n\n- one\n- two\n1. three\n\n```\n# not a header\n- not a list\n```\n## Sub";
  const counts = styleCounts(text);
  assert.equal(counts.headers, 2);
  assert.equal(counts.lists, 3);
  assert.equal(counts.bold, 2);
  assert.ok(counts.length > 20 && counts.length < 60, `tokens ${counts.length}`);
});

test("style control is gated on its own people: with k pairwise contributors but fewer than k behind judgments showing stored responses, it is hidden", async () => {
  const client = new Client(server.baseUrl);
  const before = await client.get<Body & { kAnonymity: number }>("/api/evaluations/llmfao/results?rule=bt&rounds=20&styleControl=true");
  const k = before.body.kAnonymity;
  const evaluation = (await server.pool.query<{ id: string }>("SELECT id FROM evaluations WHERE slug = 'llmfao'")).rows[0]?.id as string;
  const voters = (await server.pool.query<{ participant_id: string }>("SELECT DISTINCT participant_id FROM judgments WHERE evaluation_id = $1 AND kind = 'pairwise' AND is_current ORDER BY participant_id", [evaluation])).rows.map((r) => r.participant_id);
  assert.ok(voters.length >= k, `the demo has ${voters.length} pairwise voters, k = ${k}`);
  // only k − 1 people's judgments keep the stored responses they showed
  const keep = voters.slice(0, k - 1);
  await server.pool.query("CREATE TABLE style_gate_backup AS SELECT id, response_ids FROM judgments WHERE evaluation_id = $1 AND kind = 'pairwise' AND NOT (participant_id = ANY ($2::uuid[]))", [evaluation, keep]);
  try {
    await server.pool.query("UPDATE judgments SET response_ids = '{}' WHERE id IN (SELECT id FROM style_gate_backup)");
    const res = await client.get<Body & { styleControl: { suppressed?: { reason: string } } | null }>("/api/evaluations/llmfao/results?rule=bt&rounds=21&styleControl=true");
    assert.equal(res.status, 200);
    assert.ok(res.body.rules.some((r) => r.rule === "bt"), "the board itself still has its k contributors");
    assert.equal(res.body.styleControl?.result, null);
    assert.equal(res.body.styleControl?.suppressed?.reason, "fewer_than_k_contributors");
  } finally {
    await server.pool.query("UPDATE judgments j SET response_ids = b.response_ids FROM style_gate_backup b WHERE b.id = j.id");
    await server.pool.query("DROP TABLE style_gate_backup");
  }
});
