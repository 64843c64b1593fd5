import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { joinAs } from "../support/scenario.ts";
import { Client, signUp, startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

interface RatingView {
  token: string;
  item: { scenario: { useCase?: string } | null };
  rubric: { name: string }[] | null;
}

test("products and use cases in context: scenario items get their use case's rubric, and results show them like any subject", async () => {
  const organiser = await signUp(server.baseUrl);
  const slug = "benefits-office";
  const created = await organiser.post("/api/evaluations", {
    slug,
    title: "Benefits office assistants in context",
    charter: {
      purpose: "Evaluate assistants where residents ask about benefits",
      sponsor: "City",
      kAnonymity: 2,
      rubric: [
        { name: "helpfulness", label: "Helpfulness" },
        { name: "eligibility_accuracy", label: "Eligibility stated correctly", useCase: "benefits" },
      ],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const subjects = [
    { name: "CityChat", kind: "product", organisation: "City IT", context: { users: "residents", purpose: "answer benefits questions", affected: "applicants and caseworkers" }, artifacts: [{ kind: "transcript", title: "pilot", content: "Resident: ... Bot: ..." }] },
    { name: "Caseworker helpline", kind: "use_case", context: { description: "a human caseworker on the phone, the baseline" } },
    { name: "VendorBot", kind: "application", organisation: "Vendor", artifacts: [{ kind: "link", url: "https://example.org/vendorbot" }] },
  ];
  const ids: string[] = [];
  for (const subject of subjects) {
    const res = await organiser.post<{ subject: { id: string; kind: string; context: Record<string, string> } }>(`/api/evaluations/${slug}/subjects`, subject);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.subject.kind, subject.kind);
    ids.push(res.body.subject.id);
  }
  const scenario = await organiser.post<{ item: { id: string } }>(`/api/evaluations/${slug}/items`, {
    prompt: "I lost my job last month. Can I get housing benefit while I look for work?",
    scenario: { useCase: "benefits", roles: ["resident asking a benefits office chatbot about eligibility"], setting: "city website" },
  });
  const generic = await organiser.post<{ item: { id: string } }>(`/api/evaluations/${slug}/items`, { prompt: "What are your opening hours?" });
  for (const item of [scenario.body.item.id, generic.body.item.id]) {
    for (const [i, subjectId] of ids.entries()) {
      await organiser.post(`/api/evaluations/${slug}/responses`, { itemId: item, subjectId, text: `answer ${i} to ${item}` });
    }
  }
  await organiser.patch(`/api/evaluations/${slug}`, { status: "open" });
  const invitation = await organiser.post<{ invitation: { token: string } }>(`/api/evaluations/${slug}/invitations`, {});
  const participant: Client = await joinAs(server.baseUrl, { slug, invitation: invitation.body.invitation.token, organiser, subjects: [], items: [] });

  const seen = new Set<string>();
  let served = 0;
  for (let i = 0; i < 12; i++) {
    const view = await participant.post<RatingView>(`/api/evaluations/${slug}/assignments`, { mode: "rating" });
    if (view.status === 404) break; // every response rated once: nothing is served twice
    assert.equal(view.status, 201, JSON.stringify(view.body));
    served += 1;
    const isBenefits = view.body.item.scenario?.useCase === "benefits";
    seen.add(isBenefits ? "benefits" : "generic");
    assert.deepEqual(view.body.rubric?.map((d) => d.name), isBenefits ? ["helpfulness", "eligibility_accuracy"] : ["helpfulness"]);
    if (!isBenefits) {
      const wrong = await participant.post(`/api/evaluations/${slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "rating", scores: { eligibility_accuracy: 4 } } });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.field, "scores.eligibility_accuracy");
    }
    const scores = isBenefits ? { helpfulness: 4, eligibility_accuracy: 2 } : { helpfulness: 3 };
    const judged = await participant.post(`/api/evaluations/${slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "rating", scores } });
    assert.equal(judged.status, 201, JSON.stringify(judged.body));
  }
  assert.equal(served, ids.length * 2, "each response of both items was served for rating exactly once");
  assert.ok(seen.has("benefits"), "the scenario item was served");
  const results = await new Client(server.baseUrl).get<{ ratings: unknown[]; ratingsSuppressed: { subject: string; dimension: string; suppressed: { reason: string } }[] }>(
    `/api/evaluations/${slug}/results?rule=win-rate`,
  );
  assert.equal(results.status, 200);
  // one rater is below k = 2: every rating summary is named as hidden, none shows a number
  assert.deepEqual(results.body.ratings, []);
  const rated = new Set(results.body.ratingsSuppressed.map((r) => r.subject));
  assert.ok([...rated].every((name) => subjects.some((s) => s.name === name)), "products, applications and use cases are rated like models");
  const dimensions = new Set(results.body.ratingsSuppressed.map((r) => r.dimension));
  assert.ok(dimensions.has("eligibility_accuracy"));
  assert.ok(results.body.ratingsSuppressed.every((r) => r.suppressed.reason === "fewer_than_k_contributors"));
});

test("a subject's artifact link is an http(s) address: javascript:, data: and file: links are refused naming the field", async () => {
  const organiser = await signUp(server.baseUrl);
  const slug = "artifact-links";
  const created = await organiser.post("/api/evaluations", { slug, title: "Artifact links", charter: { purpose: "p", sponsor: "s" } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  for (const url of ["javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "vbscript:msgbox(1)"]) {
    const res = await organiser.post<{ field: string }>(`/api/evaluations/${slug}/subjects`, { name: "Bot", kind: "application", artifacts: [{ kind: "link", url }] });
    assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.field, "body.artifacts.0.url", JSON.stringify(res.body));
  }
  const fine = await organiser.post(`/api/evaluations/${slug}/subjects`, { name: "Bot", kind: "application", artifacts: [{ kind: "link", url: "https://example.org/bot" }] });
  assert.equal(fine.status, 201, JSON.stringify(fine.body));
  const listed = await organiser.get<{ subjects: { artifacts: { url?: string }[] }[] }>(`/api/evaluations/${slug}/subjects`);
  assert.deepEqual(listed.body.subjects.flatMap((s) => s.artifacts.map((a) => a.url)), ["https://example.org/bot"]);
});
