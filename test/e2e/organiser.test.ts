import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { assertNoProblems, checkPage, launchBrowser, openPage, startWebServer, type WebServer } from "./support.ts";

let server: WebServer;
let browser: Browser;
before(async () => {
  server = await startWebServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("an organiser signs up, writes a charter through the form, adds a subject and an item, and opens the evaluation", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  await page.goto(`${server.baseUrl}/organise`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await checkPage(page, "organise-sign-in");
  await page.getByRole("button", { name: "No account yet? Create one" }).click();
  await page.getByLabel("Your name").fill("Ada Organiser");
  await page.getByLabel("Email").fill(`ada-${Date.now()}@example.org`);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create an organiser account" }).click();
  await page.getByText("Use a password of at least 10 characters.").waitFor();
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create an organiser account" }).click();
  await page.getByText("Signed in as Ada Organiser.").waitFor();
  await page.getByRole("link", { name: "Create an evaluation" }).click();

  await page.getByRole("heading", { level: 1, name: "Create an evaluation" }).waitFor();
  await checkPage(page, "organise-new");
  // Empty required fields: inline errors, nothing sent, focus on the first one.
  await page.getByRole("button", { name: "Create the evaluation" }).click();
  await page.getByText(/Some fields need attention/).waitFor();
  const slug = page.getByLabel(/Short name/);
  assert.equal(await slug.getAttribute("aria-invalid"), "true");
  assert.equal(await page.evaluate("document.activeElement?.id"), "f-slug");
  await checkPage(page, "organise-new-errors");
  assert.equal((await server.pool.query("SELECT count(*)::int AS n FROM evaluations")).rows[0].n, 0);

  await slug.fill("benefits-assistants");
  await page.getByLabel(/^Title/).fill("Benefits office assistants");
  await page.getByLabel(/^The question/).fill("Which assistant answers residents best?");
  await page.getByLabel(/^Purpose/).fill("Choose the assistant the city deploys, with the people it serves.");
  await page.getByLabel(/^Sponsor/).fill("City of Example");
  await page.getByLabel(/^Who benefits/).fill("Residents who claim benefits.");
  await page.getByRole("checkbox", { name: "Research" }).check();
  await page.getByRole("checkbox", { name: "Voluntary and unpaid" }).uncheck();
  await page.getByLabel(/^Pay per hour/).fill("18.5");
  await page.getByLabel(/^Currency/).fill("USD");
  await page.getByLabel("Decision method").selectOption("supermajority");
  await page.getByLabel(/^Quorum/).fill("30");
  await page.getByLabel(/^Smallest group shown/).fill("5");
  await page.getByRole("checkbox", { name: "Spanish" }).check();
  await page.getByRole("button", { name: "Add a dimension" }).click();
  await page.locator("#f-charter-rubric-2-name").fill("accuracy");
  await page.locator("#f-charter-rubric-2-label").fill("Accuracy");
  await page.getByRole("button", { name: "Create the evaluation" }).click();

  await page.waitForURL(/\/organise\/benefits-assistants$/);
  await page.getByRole("heading", { level: 1, name: "Benefits office assistants" }).waitFor();
  const { rows } = await server.pool.query<{ content: Record<string, unknown> & { pay: { ratePerHour: number; currency: string; volunteer: boolean }; governance: { decisionMethod: string; quorum: number }; scopes: string[]; rubric: { name: string }[]; languages: string[]; kAnonymity: number } }>(
    "SELECT c.content FROM charters c JOIN evaluations e ON e.id = c.evaluation_id WHERE e.slug = 'benefits-assistants'",
  );
  const charter = rows[0]?.content;
  assert.deepEqual(charter?.pay, { ratePerHour: 18.5, currency: "USD", volunteer: false });
  assert.equal(charter?.governance.decisionMethod, "supermajority");
  assert.equal(charter?.governance.quorum, 0.3);
  assert.deepEqual(charter?.scopes, ["aggregate", "research"]);
  assert.deepEqual(charter?.rubric.map((d) => d.name), ["helpfulness", "harmlessness", "accuracy"]);
  assert.deepEqual(charter?.languages, ["en", "es"]);
  assert.equal(charter?.kAnonymity, 5);

  await page.getByLabel(/^Name/).fill("Civic Helper");
  await page.getByLabel("Kind", { exact: true }).selectOption("application");
  await page.getByLabel("Who uses it").fill("Residents at the benefits office");
  await page.getByRole("button", { name: "Add the subject" }).click();
  await page.getByText("Civic Helper").first().waitFor();
  await page.getByLabel(/^Prompt/).fill("How do I apply for housing benefit?");
  await page.getByRole("button", { name: "Add the item" }).click();
  await page.getByRole("heading", { name: "Responses" }).waitFor();
  await checkPage(page, "organise-manage");
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByText("State: Open").waitFor();
  const subject = await server.pool.query<{ kind: string; context: { users: string } }>("SELECT kind, context FROM subjects");
  assert.equal(subject.rows[0]?.kind, "application");
  assert.equal(subject.rows[0]?.context.users, "Residents at the benefits office");
  assertNoProblems(problems, "the organiser journey");
  await context.close();
});
