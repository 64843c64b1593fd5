import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { after, before, test } from "node:test";
import { ensureDemo } from "../../../src/modules/demo/service.ts";
import { fixtureText } from "../../analytics/fixtures.ts";
import { joinAs, openEvaluation, subjectOfText } from "../../support/scenario.ts";
import { Client, rowCounts, startTestServer, type TestServer } from "../../support/server.ts";

interface SubjectResult {
  name: string;
  score: number;
  lower: number | null;
  upper: number | null;
  rank: number;
}
interface Results {
  rules: { rule: string; used: number; assumption: string; subjects: SubjectResult[] }[];
  sensitivity: { rules: string[]; tau: number; flipped: unknown[]; flippedCount: number }[];
  excluded: { kind: string; reason: string; n: number | null; suppressed?: { reason: string; k: number } }[];
  dissent: { abstentions: number | null; contests: number | null };
  agreement: { alpha: number | null; units: number };
  groups: { k: number; suppressedGroups: number; groups: { community: string; participants: number }[] } | null;
  matrices: { subjects: string[]; observedWinRate: (number | null)[][]; predictedByBradleyTerry: number[][] | null };
}

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

function golden(algorithm: string): Map<string, number> {
  const rows = parse(fixtureText("llmfao/golden-rankings.csv"), { columns: true }) as { algorithm: string; item: string; score: string }[];
  return new Map(rows.filter((r) => r.algorithm === algorithm).map((r) => [r.item, Number(r.score)]));
}

test("the stored demo, read back through SQL aggregates, reproduces the LLMFAO golden rankings", async () => {
  await ensureDemo({ pool: server.pool });
  const res = await new Client(server.baseUrl).get<Results>("/api/evaluations/llmfao/results?rule=elo,counting,win-rate,bt&rounds=20");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const byRule = new Map(res.body.rules.map((r) => [r.rule, r]));
  const elo = golden("elo");
  for (const s of byRule.get("elo")?.subjects ?? []) assert.ok(Math.abs(s.score - (elo.get(s.name) ?? NaN)) < 1e-9, `Elo of ${s.name}`);
  const counting = golden("counting");
  for (const s of byRule.get("counting")?.subjects ?? []) assert.equal(s.score, counting.get(s.name), `counting of ${s.name}`);
  const bt = byRule.get("bt");
  assert.equal(bt?.used, 8931);
  assert.equal(bt?.subjects.length, 59, "only the 59 judged models are rated");
  const goldenBt = golden("bradley_terry");
  const goldenOrder = [...goldenBt].sort((x, y) => y[1] - x[1]).map(([name]) => name);
  const byScore = [...(bt?.subjects ?? [])].sort((x, y) => y.score - x.score).map((s) => s.name);
  assert.deepEqual(byScore, goldenOrder, "Bradley–Terry order as in the golden file");
  assert.ok(res.body.sensitivity.length === 6, "τ for every pair of the four rules");
  for (const pair of res.body.sensitivity) {
    assert.ok(pair.flipped.length <= 25 && pair.flippedCount >= pair.flipped.length, "flips are all counted, the first few listed");
  }
  const eloVsBt = res.body.sensitivity.find((p) => p.rules.includes("elo") && p.rules.includes("bt"));
  assert.ok((eloVsBt?.flippedCount ?? 0) > 0, "Elo and Bradley–Terry disagree on some pairs of this data");
  assert.ok(res.body.rules.every((r) => r.assumption.length > 20), "each rule states its assumption");
  const { subjects, observedWinRate, predictedByBradleyTerry } = res.body.matrices;
  const gpt4 = subjects.indexOf("GPT 4");
  const averageWinRate = golden("average_win_rate").get("GPT 4") ?? NaN;
  const met = (observedWinRate[gpt4] ?? []).filter((v): v is number => v !== null);
  assert.ok(Math.abs(met.reduce((a, b) => a + b, 0) / met.length - averageWinRate) < 1e-12, "the win-rate matrix averages to the golden average win rate");
  for (let i = 0; i < subjects.length; i++) {
    for (let j = 0; j < subjects.length; j++) {
      const p = predictedByBradleyTerry?.[i]?.[j] ?? NaN;
      assert.ok(Math.abs(p + (predictedByBradleyTerry?.[j]?.[i] ?? NaN) - 1) < 1e-12, "P(i beats j) + P(j beats i) = 1");
    }
  }
});

test("a revocation of `aggregate` shows in the next computation; groups below k are not shown", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const teachers = [await joinAs(server.baseUrl, scenario, ["aggregate"], ["teachers"]), await joinAs(server.baseUrl, scenario, ["aggregate"], ["Teachers "])];
  const nurse = await joinAs(server.baseUrl, scenario, ["aggregate", "research"], ["nurses"]);
  for (const [client, times] of [[teachers[0], 3], [teachers[1], 3], [nurse, 4]] as const) {
    for (let i = 0; i < times; i++) {
      const view = await client!.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
      await client!.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "pairwise", outcome: "a" } });
    }
  }
  await nurse.post(`/api/evaluations/${scenario.slug}/items/${scenario.items[0]?.id}/judgments`, { judgment: { kind: "contest", target: "criteria", reason: "accuracy matters more than tone" } });
  const public_ = new Client(server.baseUrl);
  const before = await public_.get<Results>(`/api/evaluations/${scenario.slug}/results?rule=bt,win-rate&by=community&rounds=50`);
  assert.equal(before.status, 200, JSON.stringify(before.body));
  // win-rate counts every judgment; Bradley–Terry may set some aside when the win graph splits (all "a" here).
  const winRate = (r: Results) => r.rules.find((rule) => rule.rule === "win-rate");
  assert.equal(winRate(before.body)?.used, 10);
  assert.equal(before.body.dissent.contests, null, "one person's contest is not a publishable count");
  // the nurses' group of one is below k; the teachers' group is hidden too, or 3 − 2 would give the nurses away
  assert.deepEqual(before.body.groups?.groups.map((g) => [g.community, g.participants]), []);
  assert.equal(before.body.groups?.suppressedGroups, 2, "the nurses' group of one and its complement are suppressed");
  assert.ok(!JSON.stringify(before.body.groups).includes("nurses"), "a suppressed group is not even named");

  const revoked = await nurse.post(`/api/evaluations/${scenario.slug}/consent/revoke`, { scopes: ["aggregate"] });
  assert.equal(revoked.status, 200);
  const afterRevocation = await public_.get<Results>(`/api/evaluations/${scenario.slug}/results?rule=bt,win-rate&rounds=50`);
  assert.equal(winRate(afterRevocation.body)?.used, 6, "the nurse's four judgments no longer count");
  assert.deepEqual(
    afterRevocation.body.excluded.filter((e) => e.reason === "consent_lacks_aggregate").map((e) => [e.kind, e.n, e.suppressed?.reason]).sort(),
    [["contest", null, "fewer_than_k_contributors"], ["pairwise", null, "fewer_than_k_contributors"]],
    "one person's exclusions show no count",
  );
  assert.equal(afterRevocation.body.dissent.contests, null);

  // Results are cached by a fingerprint of the data: one more judgment must show at once.
  const view = await teachers[0]!.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
  await teachers[0]!.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "pairwise", outcome: "b" } });
  const again = await public_.get<Results>(`/api/evaluations/${scenario.slug}/results?rule=bt,win-rate&rounds=50`);
  assert.equal(winRate(again.body)?.used, 7);
});

test("an unknown rule is a 400 naming the field, and reading results writes nothing", async () => {
  const before = await rowCounts(server.pool);
  const res = await new Client(server.baseUrl).get("/api/evaluations/llmfao/results?rule=majority-vibes");
  assert.equal(res.status, 400);
  assert.equal(res.body.field, "rule");
  const bad = await new Client(server.baseUrl).get("/api/evaluations/llmfao/results?rounds=-3");
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, "querystring.rounds");
  assert.deepEqual(await rowCounts(server.pool), before);
});

test("ratings: mean and median per subject and dimension, and Krippendorff's α when raters agree perfectly", async () => {
  const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2 });
  const scoreOf: Record<string, number> = { Alpha: 5, Beta: 3, Gamma: 1 };
  for (let p = 0; p < 6; p++) {
    const participant = await joinAs(server.baseUrl, scenario);
    for (let i = 0; i < 3; i++) {
      const view = await participant.post<{ token: string; responses: { text: string }[] }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "rating" });
      const subject = subjectOfText(view.body.responses[0]?.text ?? "").split("-")[0] ?? "";
      const judged = await participant.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, {
        judgment: { kind: "rating", scores: { helpfulness: scoreOf[subject] ?? 0 } },
      });
      assert.equal(judged.status, 201, JSON.stringify(judged.body));
    }
  }
  const res = await new Client(server.baseUrl).get<{
    ratings: { subject: string; dimension: string; count: number; mean: number; median: number }[];
    agreement: { ratings: { dimension: string; units: number; ordinal: number | null; interval: number | null }[] };
  }>(`/api/evaluations/${scenario.slug}/results?rule=win-rate&rounds=50`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const total = res.body.ratings.reduce((sum, r) => sum + r.count, 0);
  assert.equal(total, 18);
  for (const r of res.body.ratings) {
    assert.equal(r.mean, scoreOf[r.subject.split("-")[0] ?? ""], `${r.subject}'s mean`);
    assert.equal(r.median, r.mean);
  }
  const helpfulness = res.body.agreement.ratings.find((a) => a.dimension === "helpfulness");
  assert.ok((helpfulness?.units ?? 0) >= 2, "several responses were rated more than once");
  assert.ok(Math.abs((helpfulness?.ordinal ?? NaN) - 1) < 1e-12);
  assert.ok(Math.abs((helpfulness?.interval ?? NaN) - 1) < 1e-12);
});

test("no counted judgment, or a single judged subject: 422 naming the problem; the card still renders", async () => {
  const scenario = await openEvaluation(server.baseUrl);
  const public_ = new Client(server.baseUrl);
  const empty = await public_.get(`/api/evaluations/${scenario.slug}/results`);
  assert.equal(empty.status, 422);
  assert.equal(empty.body.code, "no_judgments");
  assert.match(empty.contentType, /problem\+json/);
  const card = await public_.get(`/api/evaluations/${scenario.slug}/card`);
  assert.equal(card.status, 200, JSON.stringify(card.body));
  const participant = await joinAs(server.baseUrl, scenario);
  const view = await participant.post<{ token: string }>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "rating" });
  await participant.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "rating", scores: { helpfulness: 3 } } });
  const single = await public_.get(`/api/evaluations/${scenario.slug}/results`);
  assert.equal(single.status, 422);
  assert.equal(single.body.code, "single_subject");
});

test("an anchor puts one subject at a chosen rating; an anchor naming no subject is a 400 naming `anchor`", async () => {
  await ensureDemo({ pool: server.pool });
  const client = new Client(server.baseUrl);
  const res = await client.get<Results>(`/api/evaluations/llmfao/results?rule=bt,elo&rounds=10&anchor=${encodeURIComponent("GPT 4=1200")}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  for (const rule of res.body.rules) assert.ok(Math.abs((rule.subjects.find((s) => s.name === "GPT 4")?.score ?? NaN) - 1200) < 1e-9, rule.rule);
  const unknown = await client.get(`/api/evaluations/llmfao/results?rule=bt&rounds=10&anchor=${encodeURIComponent("GPT 9=1200")}`);
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.field, "anchor");
  const malformed = await client.get(`/api/evaluations/llmfao/results?rule=bt&anchor=GPT`);
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.field, "querystring.anchor");
  const huge = await client.get(`/api/evaluations/llmfao/results?rule=bt&anchor=${encodeURIComponent("GPT 4=1e308")}`);
  assert.equal(huge.status, 400, "an anchor at 1e308 flattened every rating into one tier");
  assert.equal(huge.body.field, "querystring.anchor");
});

test("closed-form (sandwich) intervals through the API: same estimates as the bootstrap, intervals of similar width", async () => {
  await ensureDemo({ pool: server.pool });
  const client = new Client(server.baseUrl);
  const boot = await client.get<Results>("/api/evaluations/llmfao/results?rule=bt&rounds=300");
  const sandwich = await client.get<Results>("/api/evaluations/llmfao/results?rule=bt&intervals=sandwich");
  assert.equal(sandwich.status, 200, JSON.stringify(sandwich.body));
  const width = (s: SubjectResult) => (s.upper ?? NaN) - (s.lower ?? NaN);
  const bootBy = new Map(boot.body.rules[0]?.subjects.map((s) => [s.name, s]));
  const ratios: number[] = [];
  for (const s of sandwich.body.rules[0]?.subjects ?? []) {
    const b = bootBy.get(s.name);
    assert.ok(Math.abs(s.score - (b?.score ?? NaN)) < 1e-9, "the same point estimate");
    ratios.push(width(s) / width(b as SubjectResult));
  }
  ratios.sort((x, y) => x - y);
  const median = ratios[Math.floor(ratios.length / 2)] ?? NaN;
  assert.ok(median > 0.8 && median < 1.25, `median width ratio sandwich / bootstrap ${median} (300 bootstrap rounds on 8,931 judgments)`);
  const bad = await client.get("/api/evaluations/llmfao/results?intervals=wide");
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, "querystring.intervals");
});
