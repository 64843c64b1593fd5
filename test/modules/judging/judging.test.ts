import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { joinAs, openEvaluation, subjectOfText, type Scenario } from "../../support/scenario.ts";
import { Client, rowCounts, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
let scenario: Scenario;
before(async () => {
  server = await startTestServer();
  scenario = await openEvaluation(server.baseUrl);
});
after(async () => server.close());

interface View {
  token: string;
  mode: string;
  item: { id: string; prompt: string };
  responses: { key: string; text: string }[];
}

describe("battle assignment", () => {
  test("hides the subjects until the judgment, then reveals them; a token takes one judgment only", async () => {
    const participant = await joinAs(server.baseUrl, scenario);
    const assignment = await participant.post<View>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
    assert.equal(assignment.status, 201);
    const served = JSON.stringify(assignment.body);
    for (const subject of scenario.subjects) {
      assert.ok(!served.includes(subject.id), "no subject id before judging");
    }
    assert.equal(assignment.body.responses.length, 2);
    const [a, b] = assignment.body.responses;
    assert.notEqual(subjectOfText(a?.text ?? ""), subjectOfText(b?.text ?? ""), "two different subjects");

    const judged = await participant.post<{ revealed: { key: string; subject: { name: string } }[]; judgment: { kind: string; timeOnTaskMs: number } }>(
      `/api/evaluations/${scenario.slug}/assignments/${assignment.body.token}/judgment`,
      { judgment: { kind: "pairwise", outcome: "a" }, rationale: "clearer steps" },
    );
    assert.equal(judged.status, 201, JSON.stringify(judged.body));
    assert.equal(judged.body.revealed.length, 2);
    assert.equal(subjectOfText(a?.text ?? ""), judged.body.revealed[0]?.subject.name, "side a is revealed as the subject that wrote it");
    assert.ok(judged.body.judgment.timeOnTaskMs >= 0);

    const before = await rowCounts(server.pool);
    const again = await participant.post(`/api/evaluations/${scenario.slug}/assignments/${assignment.body.token}/judgment`, {
      judgment: { kind: "pairwise", outcome: "b" },
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "already_judged");
    assert.deepEqual(await rowCounts(server.pool), before);
  });

  test("favours pairs compared least and never serves the same subject on both sides", async () => {
    const participant = await joinAs(server.baseUrl, scenario);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const view = await participant.post<View>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
      assert.equal(view.status, 201);
      const judged = await participant.post<{ revealed: { subject: { name: string } }[] }>(
        `/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`,
        { judgment: { kind: "pairwise", outcome: "tie" } },
      );
      const names = judged.body.revealed.map((r) => r.subject.name);
      assert.notEqual(names[0], names[1]);
      seen.add(`${view.body.item.id}|${[...names].sort().join("|")}`);
    }
    assert.equal(seen.size, 6, "a participant never gets the same item and pair twice");
    const last = await participant.post(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
    assert.equal(last.status, 404, "2 items × 3 pairs are exhausted");
    assert.equal(last.body.code, "nothing_to_assign");
  });
});

describe("each judgment kind", () => {
  test("rating per rubric dimension", async () => {
    const participant = await joinAs(server.baseUrl, scenario);
    const view = await participant.post<View>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "rating" });
    assert.equal(view.body.responses.length, 1);
    const bad = await participant.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, {
      judgment: { kind: "rating", scores: { helpfulness: 9 } },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, "scores.helpfulness");
    const ok = await participant.post<{ judgment: { body: { scores: Record<string, number> } } }>(
      `/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`,
      { judgment: { kind: "rating", scores: { helpfulness: 4, harmlessness: 5 } } },
    );
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.body.judgment.body.scores, { helpfulness: 4, harmlessness: 5 });
  });

  test("ranking with a tie, stored as response ids", async () => {
    const participant = await joinAs(server.baseUrl, scenario);
    const view = await participant.post<View>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "ranking" });
    assert.equal(view.body.responses.length, 3);
    const incomplete = await participant.post(`/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`, {
      judgment: { kind: "ranking", order: [["a"], ["b"]] },
    });
    assert.equal(incomplete.status, 400);
    assert.equal(incomplete.body.field, "order");
    const ok = await participant.post<{ judgment: { body: { order: string[][] } } }>(
      `/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`,
      { judgment: { kind: "ranking", order: [["b"], ["a", "c"]] } },
    );
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const order = ok.body.judgment.body.order;
    assert.equal(order.length, 2);
    assert.equal(order[1]?.length, 2);
    assert.match(order[0]?.[0] ?? "", /^[0-9a-f-]{36}$/);
  });

  test("abstention on an assignment, and a contest of an item's framing", async () => {
    const participant = await joinAs(server.baseUrl, scenario);
    const view = await participant.post<View>(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
    const abstained = await participant.post<{ judgment: { kind: string; body: { reason: string } } }>(
      `/api/evaluations/${scenario.slug}/assignments/${view.body.token}/judgment`,
      { judgment: { kind: "abstention", reason: "I do not know the benefit rules" } },
    );
    assert.equal(abstained.status, 201);
    assert.equal(abstained.body.judgment.kind, "abstention");
    const contest = await participant.post<{ judgment: { kind: string; body: { target: string } } }>(
      `/api/evaluations/${scenario.slug}/items/${scenario.items[0]?.id}/judgments`,
      { judgment: { kind: "contest", target: "framing", reason: "eligibility depends on the council; the question hides that" } },
    );
    assert.equal(contest.status, 201);
    assert.equal(contest.body.judgment.body.target, "framing");
  });

  test("a revision keeps the earlier judgment in history", async () => {
    const own = await openEvaluation(server.baseUrl);
    const participant = await joinAs(server.baseUrl, own);
    const view = await participant.post<View>(`/api/evaluations/${own.slug}/assignments`, { mode: "pairwise" });
    const first = await participant.post<{ judgment: { id: string } }>(`/api/evaluations/${own.slug}/assignments/${view.body.token}/judgment`, {
      judgment: { kind: "pairwise", outcome: "a" },
    });
    assert.equal((await own.organiser.patch(`/api/evaluations/${own.slug}`, { phase: "revise" })).status, 200);
    const revised = await participant.post<{ judgment: { id: string; revises: string; body: { outcome: string } } }>(
      `/api/evaluations/${own.slug}/judgments/${first.body.judgment.id}/revisions`,
      { judgment: { kind: "pairwise", outcome: "b" }, rationale: "after the discussion" },
    );
    assert.equal(revised.status, 201);
    assert.equal(revised.body.judgment.revises, first.body.judgment.id);
    const { rows } = await server.pool.query<{ id: string; is_current: boolean }>(
      "SELECT id, is_current FROM judgments WHERE id = ANY($1::uuid[]) ORDER BY seq",
      [[first.body.judgment.id, revised.body.judgment.id]],
    );
    assert.deepEqual(rows.map((r) => r.is_current), [false, true]);
    const mine = await participant.get<{ judgments: { id: string; isCurrent: boolean; item: { prompt: string }; responses: { subject: { name: string } }[] }[] }>(`/api/evaluations/${own.slug}/me/judgments`);
    assert.deepEqual(mine.body.judgments.map((j) => [j.id, j.isCurrent]), [[first.body.judgment.id, false], [revised.body.judgment.id, true]]);
    assert.equal(mine.body.judgments[1]?.responses.length, 2, "the revision keeps the responses it was about");
    assert.ok(mine.body.judgments[1]?.responses.every((r) => own.subjects.some((s) => s.name === r.subject.name)));
    const twice = await participant.post(`/api/evaluations/${own.slug}/judgments/${first.body.judgment.id}/revisions`, {
      judgment: { kind: "pairwise", outcome: "tie" },
    });
    assert.equal(twice.status, 409, "only the current version can be revised");
  });
});

describe("consent and roles", () => {
  test("no contribution without consent, and nothing is written", async () => {
    const participant = await joinAs(server.baseUrl, scenario, null);
    const before = await rowCounts(server.pool);
    const res = await participant.post(`/api/evaluations/${scenario.slug}/assignments`, { mode: "pairwise" });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, "consent_required");
    assert.match(res.contentType, /application\/problem\+json/);
    const contest = await participant.post(`/api/evaluations/${scenario.slug}/items/${scenario.items[0]?.id}/judgments`, {
      judgment: { kind: "contest", target: "item", reason: "x" },
    });
    assert.equal(contest.status, 403);
    assert.deepEqual(await rowCounts(server.pool), before);
  });

  test("anonymous callers get 401, the wrong role 403", async () => {
    const anonymous = new Client(server.baseUrl);
    assert.equal((await anonymous.post(`/api/evaluations/${scenario.slug}/assignments`, {})).status, 401);
    assert.equal((await anonymous.post(`/api/evaluations/${scenario.slug}/subjects`, { name: "X", kind: "model" })).status, 401);
    assert.equal((await anonymous.post("/api/evaluations", { slug: "zz", title: "t", charter: { purpose: "p", sponsor: "s" } })).status, 401);
    const participant = await joinAs(server.baseUrl, scenario);
    const before = await rowCounts(server.pool);
    const asParticipant = await participant.post(`/api/evaluations/${scenario.slug}/subjects`, { name: "X", kind: "model" });
    assert.equal(asParticipant.status, 403);
    assert.equal(asParticipant.body.code, "forbidden");
    assert.equal((await participant.patch(`/api/evaluations/${scenario.slug}`, { status: "closed" })).status, 403);
    assert.equal((await participant.post(`/api/evaluations/${scenario.slug}/exports`, { scope: "publish", recipient: "me", purpose: "p" })).status, 403);
    const organiserAsParticipant = await scenario.organiser.post(`/api/evaluations/${scenario.slug}/assignments`, {});
    assert.equal(organiserAsParticipant.status, 403, "an organiser is not a participant");
    const anonymousCreates = await participant.post("/api/evaluations", { slug: "anon-eval", title: "t", charter: { purpose: "p", sponsor: "s" } });
    assert.equal(anonymousCreates.status, 403, "a pseudonymous participant account cannot organise");
    assert.deepEqual(await rowCounts(server.pool), before);
  });
});
