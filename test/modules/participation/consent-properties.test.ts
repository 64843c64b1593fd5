/**
 * Property: over random sequences of contributions, consent changes, revocations, withholdings, proposals and
 * exports (each run in its own evaluation, against the real database):
 * - no export contains a contribution whose contributor's consent at export time lacks the scope;
 * - every export attempted during a withholding is refused and writes nothing;
 * - the card's counts equal the data.
 * Expected counts come from a model of the sequence kept by the test, not from the implementation.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parse as parseCsv } from "csv-parse/sync";
import fc from "fast-check";
import type { Scenario } from "../../support/scenario.ts";
import type { Client } from "../../support/server.ts";
import { decide, joinAs, openEvaluation, startPowerServer, type PowerServer } from "../../support/power-harness.ts";

let server: PowerServer;
before(async () => {
  server = await startPowerServer();
});
after(async () => server.close());

const OPTIONAL = ["publish", "research"] as const;
const FORMATS = ["jsonl", "csv", "huggingface", "fastchat"] as const;
const scopesArb = fc.subarray([...OPTIONAL]);
const action = fc.oneof(
  fc.record({ t: fc.constant("join" as const), scopes: scopesArb }),
  fc.record({ t: fc.constant("judge" as const), who: fc.nat(9) }),
  fc.record({ t: fc.constant("judge" as const), who: fc.nat(9) }),
  fc.record({ t: fc.constant("consent" as const), who: fc.nat(9), scopes: scopesArb }),
  fc.record({ t: fc.constant("revoke" as const), who: fc.nat(9), scope: fc.constantFrom(...OPTIONAL) }),
  fc.record({ t: fc.constant("withhold" as const) }),
  fc.record({ t: fc.constant("end" as const) }),
  fc.record({ t: fc.constant("export" as const), scope: fc.constantFrom(...OPTIONAL), format: fc.constantFrom(...FORMATS) }),
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

interface Person {
  client: Client;
  id: string;
  scopes: Set<string>;
  judged: number;
}

interface Model {
  scenario: Scenario;
  slug: string;
  organiser: Client;
  people: Person[];
  withheld: boolean;
  exports: number;
}

function rowsIn(format: string, files: { path: string; content: string }[]): number {
  const content = files[0]?.content ?? "";
  if (format === "fastchat") return (JSON.parse(content) as unknown[]).length;
  if (format === "csv") return (parseCsv(content, { columns: true }) as unknown[]).length;
  const data = format === "huggingface" ? (files.find((f) => f.path === "data/train.jsonl")?.content ?? "") : content;
  return data.split("\n").filter((line) => line.length > 0).length;
}

async function join(model: Model, scopes: string[]): Promise<void> {
  const client = await joinAs(server.baseUrl, model.scenario, ["aggregate", ...scopes]);
  const me = await client.get<{ participant: { id: string } }>(`/api/evaluations/${model.slug}/me`);
  model.people.push({ client, id: me.body.participant.id, scopes: new Set(["aggregate", ...scopes]), judged: 0 });
}

async function judge(model: Model, person: Person): Promise<void> {
  const view = await person.client.post<{ token: string }>(`/api/evaluations/${model.slug}/assignments`, { mode: "pairwise" });
  if (view.status === 404) return; // nothing left for this person to judge
  assert.equal(view.status, 201, JSON.stringify(view.body));
  const judged = await person.client.post(`/api/evaluations/${model.slug}/assignments/${view.body.token}/judgment`, { judgment: { kind: "pairwise", outcome: "a" } });
  assert.equal(judged.status, 201);
  person.judged += 1;
}

async function exportOnce(model: Model, scope: string, format: string): Promise<void> {
  const before = (await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM exports")).rows[0]?.n;
  const res = await model.organiser.post<{ record: { id: string; includedCount: number }; files: { path: string; content: string }[] }>(`/api/evaluations/${model.slug}/exports`, {
    scope,
    format,
    recipient: "Lab",
    purpose: "property test",
  });
  if (model.withheld) {
    assert.equal(res.status, 403, "an export during a withholding is refused");
    assert.equal((await server.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM exports")).rows[0]?.n, before, "and writes nothing");
    return;
  }
  assert.equal(res.status, 201, JSON.stringify(res.body));
  model.exports += 1;
  const consenting = model.people.filter((p) => p.scopes.has(scope) && p.judged > 0);
  // a `publish` export of fewer than k (10, the default) distinct people publishes nothing
  const expected = scope === "publish" && consenting.length < 10 ? 0 : consenting.reduce((sum, p) => sum + p.judged, 0);
  assert.equal(res.body.record.includedCount, expected);
  assert.equal(rowsIn(format, res.body.files), expected);
  const { rows } = await server.pool.query<{ participant_id: string }>("SELECT participant_id FROM export_contributors WHERE export_id = $1", [res.body.record.id]);
  for (const row of rows) {
    const person = model.people.find((p) => p.id === row.participant_id);
    assert.ok(person?.scopes.has(scope), "every contributor in the export consented to the scope at export time");
  }
}

async function apply(model: Model, step: Action): Promise<void> {
  const person = "who" in step && model.people.length > 0 ? model.people[step.who % model.people.length] : undefined;
  switch (step.t) {
    case "join":
      return join(model, step.scopes);
    case "judge":
      return person ? judge(model, person) : undefined;
    case "consent": {
      if (!person) return;
      const res = await person.client.put(`/api/evaluations/${model.slug}/consent`, { scopes: ["aggregate", ...step.scopes] });
      assert.equal(res.status, 200);
      person.scopes = new Set(["aggregate", ...step.scopes]);
      return;
    }
    case "revoke": {
      if (!person) return;
      const res = await person.client.post(`/api/evaluations/${model.slug}/consent/revoke`, { scopes: [step.scope] });
      assert.equal(res.status, person.scopes.has(step.scope) ? 200 : 400);
      person.scopes.delete(step.scope);
      return;
    }
    case "withhold":
    case "end": {
      const voter = model.people[0] as Person;
      const p = await decide(server, model.scenario, voter.client, { kind: step.t === "withhold" ? "withhold_data" : "end_withholding" }, [[voter.client, "yes"]]);
      assert.equal(p.status, "passed");
      model.withheld = step.t === "withhold";
      return;
    }
    case "export":
      return exportOnce(model, step.scope, step.format);
  }
}

async function checkCard(model: Model): Promise<void> {
  const res = await model.organiser.get<{ card: { participation: { participants: number; judgments: number }; consent: { scopes: { scope: string; granted: number }[]; withholding: { active: boolean } }; exports: unknown[] } }>(
    `/api/evaluations/${model.slug}/card`,
  );
  assert.equal(res.status, 200);
  const { card } = res.body;
  assert.equal(card.participation.participants, model.people.length);
  assert.equal(card.participation.judgments, model.people.reduce((sum, p) => sum + p.judged, 0));
  for (const entry of card.consent.scopes) assert.equal(entry.granted, model.people.filter((p) => p.scopes.has(entry.scope)).length, entry.scope);
  assert.equal(card.consent.withholding.active, model.withheld);
  assert.equal(card.exports.length, model.exports);
}

test("exports respect consent at export time, withholding refuses them, the card counts the data", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 4, maxLength: 12 }), async (steps) => {
      const scenario = await openEvaluation(server.baseUrl, { governance: { quorum: 0 } });
      const model: Model = { scenario, slug: scenario.slug, organiser: scenario.organiser, people: [], withheld: false, exports: 0 };
      await join(model, ["research"]);
      for (const step of steps) await apply(model, step);
      await exportOnce(model, "research", "jsonl");
      await checkCard(model);
    }),
    { numRuns: 18, seed: 20240611, endOnFailure: true },
  );
});
