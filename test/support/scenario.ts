import assert from "node:assert/strict";
import { Client, signUp } from "./server.ts";

export interface Scenario {
  organiser: Client;
  slug: string;
  invitation: string;
  subjects: { id: string; name: string }[];
  items: { id: string }[];
}

let counter = 0;

/**
 * A response's text marks which subject wrote it by a number only the tests read: a text that named its
 * own subject would be an identity leak, and every vote on it would be set aside.
 */
const SUBJECT_NAMES = ["Alpha-1", "Beta-2", "Gamma-3"];
export function answerText(subjectName: string, prompt: string): string {
  return `Answer no. ${SUBJECT_NAMES.indexOf(subjectName) + 1} to: ${prompt}`;
}
export function subjectOfText(text: string): string {
  const n = Number(/^Answer no\. (\d+)/.exec(text)?.[1] ?? 0);
  return SUBJECT_NAMES[n - 1] ?? "?";
}

/**
 * An open evaluation with three model subjects answering two items (or the prompts given), and a participant
 * invitation (a multi-use, open link). The charter asks for `open_link` assurance unless the test names
 * another, so that participants joining through the shared link count in governance.
 */
const PROMPTS = ["How do I apply for housing benefit?", "Am I eligible for a council tax reduction?"];

export async function openEvaluation(baseUrl: string, charter: Record<string, unknown> = {}, prompts: readonly string[] = PROMPTS): Promise<Scenario> {
  const organiser = await signUp(baseUrl);
  counter += 1;
  const slug = `eval-${counter}-${Date.now().toString(36)}`;
  const created = await organiser.post("/api/evaluations", {
    slug,
    title: "Benefits office assistants",
    charter: { purpose: "Which assistant answers residents best?", sponsor: "City of Example", scopes: ["aggregate", "publish", "research"], identityAssurance: "open_link", ...charter },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const subjects: { id: string; name: string }[] = [];
  for (const [name, organisation] of [["Alpha-1", "Org A"], ["Beta-2", "Org B"], ["Gamma-3", "Org C"]] as const) {
    const res = await organiser.post<{ subject: { id: string; name: string } }>(`/api/evaluations/${slug}/subjects`, { name, kind: "model", organisation });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    subjects.push(res.body.subject);
  }
  const items: { id: string }[] = [];
  for (const prompt of prompts) {
    const res = await organiser.post<{ item: { id: string } }>(`/api/evaluations/${slug}/items`, { prompt });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    items.push(res.body.item);
    for (const subject of subjects) {
      const r = await organiser.post(`/api/evaluations/${slug}/responses`, { itemId: res.body.item.id, subjectId: subject.id, text: answerText(subject.name, prompt) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  }
  assert.equal((await organiser.patch(`/api/evaluations/${slug}`, { status: "open" })).status, 200);
  const inv = await organiser.post<{ invitation: { token: string } }>(`/api/evaluations/${slug}/invitations`, { role: "participant" });
  assert.equal(inv.status, 201);
  return { organiser, slug, invitation: inv.body.invitation.token, subjects, items };
}

/** A participant who joined through the invitation and, unless told otherwise, consented to `scopes`. */
export async function joinAs(baseUrl: string, scenario: Scenario, scopes: string[] | null = ["aggregate"], communities: string[] = []): Promise<Client> {
  const client = new Client(baseUrl);
  const joined = await client.post(`/api/invitations/${scenario.invitation}/join`, { communities });
  assert.equal(joined.status, 201, JSON.stringify(joined.body));
  if (scopes) {
    const consent = await client.put(`/api/evaluations/${scenario.slug}/consent`, { scopes });
    assert.equal(consent.status, 200, JSON.stringify(consent.body));
  }
  return client;
}
