/**
 * Property (fast-check against the real database): for random sequences of contributions (participant-written
 * items, statements, abstention reasons), consent changes, revocations and exports, no public output (items,
 * statements, dissent, results, card) and no export ever contains a contribution whose author's CURRENT consent
 * excludes that use (`aggregate` for public views, the export's scope for an export).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { after, before, test } from "node:test";
import { joinAs, openEvaluation, type Scenario } from "../../support/scenario.ts";
import { Client, startTestServer, type TestServer } from "../../support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => server.close());

interface Person {
  client: Client;
  id: string;
  scopes: Set<string>;
}

interface Contribution {
  marker: string;
  author: Person;
}

type Action =
  | { t: "item"; who: number }
  | { t: "statement"; who: number }
  | { t: "abstain"; who: number }
  | { t: "consent"; who: number; scopes: string[] }
  | { t: "revoke"; who: number; scope: string }
  | { t: "export"; scope: "publish" | "research"; format: "jsonl" | "csv" | "polis" };

const SCOPES = ["aggregate", "publish", "research"];
const who = fc.nat(3);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ t: fc.constant("item" as const), who }),
  fc.record({ t: fc.constant("statement" as const), who }),
  fc.record({ t: fc.constant("abstain" as const), who }),
  fc.record({ t: fc.constant("consent" as const), who, scopes: fc.subarray(SCOPES, { minLength: 1 }) }),
  fc.record({ t: fc.constant("revoke" as const), who, scope: fc.constantFrom(...SCOPES) }),
  fc.record({ t: fc.constant("export" as const), scope: fc.constantFrom("publish" as const, "research" as const), format: fc.constantFrom("jsonl" as const, "csv" as const, "polis" as const) }),
);

let counter = 0;

async function publicText(slug: string): Promise<string> {
  const anyone = new Client(server.baseUrl);
  const parts = await Promise.all(
    ["items", "statements", "dissent", "card", "card?format=markdown", "results?rounds=0&by=community", "opinion"].map((path) => anyone.get(`/api/evaluations/${slug}/${path}`)),
  );
  return parts.map((p) => JSON.stringify(p.body)).join("\n");
}

async function apply(scenario: Scenario, people: Person[], contributions: Contribution[], step: Action): Promise<void> {
  const slug = scenario.slug;
  if (step.t === "export") {
    const res = await scenario.organiser.post<{ files: { content: string }[] }>(`/api/evaluations/${slug}/exports`, { scope: step.scope, format: step.format, recipient: "Lab", purpose: "property" });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const content = res.body.files.map((f) => f.content).join("\n");
    for (const c of contributions) {
      if (!c.author.scopes.has(step.scope)) assert.ok(!content.includes(c.marker), `${c.marker} left in a ${step.scope} export without consent`);
    }
    return;
  }
  const person = people[step.who % people.length] as Person;
  const marker = `M${(counter += 1)}x${Date.now().toString(36)}`;
  switch (step.t) {
    case "item": {
      const { rows } = await server.pool.query<{ id: string; evaluation_id: string }>(
        "INSERT INTO items (evaluation_id, prompt, author_participant_id) SELECT id, $2, $3 FROM evaluations WHERE slug = $1 RETURNING id, evaluation_id",
        [slug, `Prompt ${marker}`, person.id],
      );
      for (const subject of scenario.subjects) {
        await server.pool.query("INSERT INTO responses (evaluation_id, item_id, subject_id, text) VALUES ($1, $2, $3, 'an answer')", [rows[0]!.evaluation_id, rows[0]!.id, subject.id]);
      }
      contributions.push({ marker, author: person });
      // another person judges it, so the prompt would travel with their judgment into exports
      const judge = people[(step.who + 1) % people.length] as Person;
      const view = await judge.client.post<{ token: string }>(`/api/evaluations/${slug}/assignments`, { mode: "pairwise" });
      if (view.status === 201) await judge.client.post(`/api/evaluations/${slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "pairwise", outcome: "a" } });
      return;
    }
    case "statement": {
      const res = await person.client.post(`/api/evaluations/${slug}/statements`, { text: `Statement ${marker}` });
      if (res.status === 201) contributions.push({ marker, author: person });
      else assert.equal(res.status, 403, JSON.stringify(res.body)); // no consent at all: cannot contribute
      return;
    }
    case "abstain": {
      const res = await person.client.post(`/api/evaluations/${slug}/items/${scenario.items[0]!.id}/judgments`, { judgment: { kind: "abstention", reason: `Reason ${marker}` } });
      if (res.status === 201) contributions.push({ marker, author: person });
      return;
    }
    case "consent": {
      const res = await person.client.put(`/api/evaluations/${slug}/consent`, { scopes: step.scopes });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      person.scopes = new Set(step.scopes);
      return;
    }
    case "revoke": {
      const res = await person.client.post(`/api/evaluations/${slug}/consent/revoke`, { scopes: [step.scope] });
      if (res.status === 200) person.scopes.delete(step.scope);
      return;
    }
  }
}

test("no public output or export ever contains a contribution whose author's current consent excludes that use", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 8 }), async (steps) => {
      const scenario = await openEvaluation(server.baseUrl, { kAnonymity: 2, scopes: SCOPES, textLimits: { statement: 280 } });
      const people: Person[] = [];
      for (let i = 0; i < 4; i++) {
        const client = await joinAs(server.baseUrl, scenario, SCOPES);
        const me = await client.get<{ participant: { id: string } }>(`/api/evaluations/${scenario.slug}/me`);
        people.push({ client, id: me.body.participant.id, scopes: new Set(SCOPES) });
      }
      const contributions: Contribution[] = [];
      for (const step of steps) {
        await apply(scenario, people, contributions, step);
        const shown = await publicText(scenario.slug);
        for (const c of contributions) {
          if (!c.author.scopes.has("aggregate")) assert.ok(!shown.includes(c.marker), `${c.marker} is public although its author's consent lacks aggregate`);
        }
      }
    }),
    { numRuns: 15, seed: 20250301, endOnFailure: true },
  );
});
