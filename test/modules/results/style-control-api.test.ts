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
