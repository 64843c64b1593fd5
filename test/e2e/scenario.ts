/** Browser-test set-ups that go through the real API: an organiser account, and a participant joining in the browser. */
import type { Page } from "playwright-core";
import { Client } from "../support/server.ts";

let accounts = 0;

export interface Organiser {
  client: Client;
  email: string;
  password: string;
}

/** An organiser account made through the API (its credentials kept so the browser can sign in too). */
export async function organiserAccount(baseUrl: string, name = "Olu Organiser"): Promise<Organiser> {
  accounts += 1;
  const client = new Client(baseUrl);
  const email = `organiser${accounts}-${Date.now()}@example.org`;
  const password = "correct horse battery";
  const res = await client.post("/api/auth/sign-up/email", { email, password, name });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { client, email, password };
}

/** Signs the organiser in through the page's own form. */
export async function signInInBrowser(page: Page, baseUrl: string, organiser: Organiser): Promise<void> {
  await page.goto(`${baseUrl}/organise`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Email").fill(organiser.email);
  await page.getByLabel("Password").fill(organiser.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(/Signed in as/).waitFor();
}

/** Joins through an invitation in the browser, consenting to counting in results, and lands on the judge page. */
export async function joinInBrowser(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/join/${token}`);
  await page.getByRole("button", { name: "Accept the invitation" }).click();
  await page.getByRole("button", { name: /continue/ }).click();
  await page.getByRole("checkbox", { name: "Count in results" }).check();
  await page.getByRole("button", { name: "Save my choices and start" }).click();
  await page.waitForURL(/\/judge$/);
}

/**
 * Makes an evaluation through the API and returns its slug; `charter` overrides the defaults. Participants
 * here join through one shared link, so the charter asks for `open_link` assurance unless told otherwise.
 */
export async function createEvaluation(client: Client, slug: string, charter: Record<string, unknown> = {}): Promise<string> {
  const created = await client.post("/api/evaluations", { slug, title: `Evaluation ${slug}`, question: "Which assistant answers residents best?", charter: { purpose: "Compare assistants with residents", sponsor: "City of Example", scopes: ["aggregate", "publish", "research"], identityAssurance: "open_link", ...charter } });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  return slug;
}

/** An invitation token for participants. */
export async function invite(client: Client, slug: string): Promise<string> {
  const res = await client.post<{ invitation: { token: string } }>(`/api/evaluations/${slug}/invitations`, { role: "participant" });
  if (res.status !== 201) throw new Error(`invitation failed: ${JSON.stringify(res.body)}`);
  return res.body.invitation.token;
}
