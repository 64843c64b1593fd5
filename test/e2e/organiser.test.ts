import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { createEvaluation, organiserAccount } from "./scenario.ts";
import { ARTIFACTS, assertAccessible, assertNoProblems, checkPage, launchBrowser, openPage, startWebServer, type WebServer } from "./support.ts";

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

const count = async (sql: string) => (await server.pool.query<{ n: number }>(sql)).rows[0]?.n;

test("an organiser signs up, writes a charter, adds two subjects, an item and both answers through the forms, opens, invites; a participant judges", async () => {
  const context = await browser.newContext({ locale: "en-GB", acceptDownloads: true });
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
  await page.getByText("You do not organise any evaluation yet.").waitFor();
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
  assert.equal(await count("SELECT count(*)::int AS n FROM evaluations"), 0);

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
  assert.equal(charter?.openParticipation, undefined, "by invitation unless the organiser opens the door");

  // Two subjects, one item, through the forms.
  for (const [name, users] of [["Civic Helper", "Residents at the benefits office"], ["Form Wizard", "Caseworkers"]] as const) {
    await page.getByLabel(/^Name/).fill(name);
    await page.getByLabel("Kind", { exact: true }).selectOption("application");
    await page.getByLabel("Who uses it").fill(users);
    await page.getByRole("button", { name: "Add the subject" }).click();
    await page.locator("#subjects-heading + ul").getByText(name).waitFor();
  }
  await page.getByLabel(/^Title \(optional\)/).fill("Housing benefit");
  await page.getByLabel(/^Prompt/).fill("How do I apply for housing benefit?");
  await page.getByRole("button", { name: "Add the item" }).click();
  await page.getByText("Housing benefit: answers from 0 of 2 subjects").waitFor();

  // Opening with nothing to judge: warned beforehand, refused with the reason.
  await page.getByText(/Nothing to judge yet: opening needs an item/).waitFor();
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByText("There is nothing to judge yet: add an item and the answers of at least two subjects to it before opening.").waitFor();
  assert.equal(await count("SELECT count(*)::int AS n FROM evaluations WHERE status = 'draft'"), 1);

  // Both answers, pasted into the item's form (one box per subject).
  await page.getByLabel("Answer of Civic Helper to “Housing benefit”").fill("Fill in form HB1 at the benefits office, or online at example.gov/hb.");
  await page.getByLabel("Answer of Form Wizard to “Housing benefit”").fill("Apply online; you need proof of rent and income.");
  await page.locator("#answers-heading").scrollIntoViewIfNeeded();
  await assertAccessible(page, "organise-answers-filled");
  await screenshotSection(page, "#answers-heading", "organiser-answer-form");
  await page.getByRole("button", { name: "Save the answers to “Housing benefit”" }).click();
  await page.getByText("Housing benefit: answers from 2 of 2 subjects").waitFor();
  await page.getByText("Civic Helper answered:").waitFor();
  assert.equal(await count("SELECT count(*)::int AS n FROM responses"), 2);

  // A second item, answered by a file whose columns have other names; the item is found by its title.
  await page.getByLabel(/^Title \(optional\)/).fill("Council tax");
  await page.getByLabel(/^Prompt/).fill("Am I eligible for a council tax reduction?");
  await page.getByRole("button", { name: "Add the item" }).click();
  await page.getByText("Council tax: answers from 0 of 2 subjects").waitFor();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download a template (CSV)" }).click();
  const template = readFileSync(await (await download).path(), "utf8").split("\r\n");
  assert.equal(template[0], "item,subject,response");
  assert.deepEqual(template.slice(1).filter(Boolean).sort(), ["Council tax,Civic Helper,", "Council tax,Form Wizard,"], "the template lists exactly the answers still missing");
  const csv = 'question,model,answer\n"Council tax",Civic Helper,"Probably, if you live alone you get 25% off."\nCouncil tax,Form Wizard,Ask the council.\n';
  await page.getByLabel("File of answers").setInputFiles({ name: "answers.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  assert.equal(await page.getByLabel("Column with the subject's name").inputValue(), "model", "a column named model is guessed to hold the subject");
  await page.getByLabel("Column with the item (its title or external id)").selectOption("question");
  await page.getByLabel("Column with the answer").selectOption("answer");
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByText("“Council tax”: fills the item “Council tax” (same title)").waitFor();
  await page.getByText("Answers added: 2. Already answered, kept as they are: 0.").waitFor();
  assert.equal(await count("SELECT count(*)::int AS n FROM responses"), 2, "a preview changes nothing");
  await checkPage(page, "organise-upload-preview");
  await page.getByRole("button", { name: "Import (answers to add: 2)" }).click();
  await page.getByText("Council tax: answers from 2 of 2 subjects").waitFor();
  assert.equal(await count("SELECT count(*)::int AS n FROM items"), 2, "no second “Council tax” item");
  assert.equal(await count("SELECT count(*)::int AS n FROM responses"), 4);

  await checkPage(page, "organise-manage");
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByText("State: Open").waitFor();

  // An invitation: shown with its link, still listed after a reload.
  await page.getByRole("button", { name: "Create an invitation link" }).click();
  const link = (await page.locator("#new-invitation code").textContent()) ?? "";
  assert.match(link, /\/join\/[\w-]+$/);
  await page.reload();
  await page.getByRole("heading", { name: "Invitations" }).waitFor();
  const listed = page.getByRole("table", { name: "Links" });
  await listed.getByText(new URL(link).pathname).waitFor();
  await listed.getByRole("cell", { name: "Active" }).waitFor();
  await listed.getByRole("cell", { name: "100 / 100" }).waitFor();
  // A personal link, then revoked: it stays listed as revoked, and admits nobody.
  await page.getByLabel(/^Maximum uses/).fill("1");
  await page.getByRole("button", { name: "Create an invitation link" }).click();
  const personal = listed.getByRole("row").filter({ has: page.getByRole("cell", { name: "1 / 1" }) });
  await personal.getByRole("button", { name: "Revoke" }).click();
  await personal.getByRole("cell", { name: "Revoked" }).waitFor();
  await page.reload();
  await page.getByRole("table", { name: "Links" }).getByRole("cell", { name: "Revoked" }).waitFor();
  assert.equal(await count("SELECT count(*)::int AS n FROM invitations WHERE revoked_at IS NOT NULL AND max_uses = 1"), 1);

  // Signing out leaves the desk.
  await page.goto(`${server.baseUrl}/organise`);
  await page.getByRole("link", { name: "Benefits office assistants" }).waitFor();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assertNoProblems(problems, "the organiser journey");
  await context.close();

  // The participant: the link, the charter, consent, a judgment on the organiser's answers.
  const visitor = await browser.newContext({ locale: "en-GB" });
  const { page: p, problems: pProblems } = await openPage(visitor);
  await p.goto(`${server.baseUrl}/join/not-a-real-token`);
  await p.getByRole("heading", { level: 1, name: "This invitation does not work" }).waitFor();
  assert.equal(await p.getByRole("button", { name: "Accept the invitation" }).count(), 0, "no pitch for a link that admits nobody");
  await checkPage(p, "join-invalid");
  await p.goto(`${server.baseUrl}/`);
  await p.getByText("By invitation only: ask the organisers for an invitation link.").waitFor();
  await p.goto(link);
  await p.getByRole("button", { name: "Accept the invitation" }).click();
  await p.getByRole("button", { name: /continue/ }).click();
  await p.getByRole("checkbox", { name: "Count in results" }).check();
  await p.getByRole("button", { name: "Save my choices and start" }).click();
  await p.waitForURL(/\/e\/benefits-assistants\/judge$/);
  await p.getByRole("button", { name: "A is better" }).click();
  await p.getByRole("heading", { name: "Recorded. Here is who answered" }).waitFor();
  assert.equal(await count("SELECT count(*)::int AS n FROM judgments WHERE kind = 'pairwise'"), 1);
  assertNoProblems(pProblems, "the participant's journey");
  await visitor.close();
});

test("where the charter opens the door, Take part on the home page joins; in deliberation the judge page says where to go", async () => {
  const organiser = await organiserAccount(server.baseUrl);
  const slug = await createEvaluation(organiser.client, "open-door", { openParticipation: true });
  const subjects: string[] = [];
  for (const name of ["Alpha", "Beta"]) subjects.push((await organiser.client.post<{ subject: { id: string } }>(`/api/evaluations/${slug}/subjects`, { name, kind: "model" })).body.subject.id);
  const item = await organiser.client.post<{ item: { id: string } }>(`/api/evaluations/${slug}/items`, { prompt: "Where do I report a broken streetlight?" });
  for (const subjectId of subjects) await organiser.client.post(`/api/evaluations/${slug}/responses`, { itemId: item.body.item.id, subjectId, text: `Answer from ${subjectId}` });
  assert.equal((await organiser.client.patch(`/api/evaluations/${slug}`, { status: "open" })).status, 200);

  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  const favicon = await page.request.get(`${server.baseUrl}/favicon.ico`);
  assert.equal(favicon.status(), 200);
  assert.equal(favicon.headers()["content-type"], "image/x-icon");
  await page.goto(`${server.baseUrl}/`);
  await page.getByRole("link", { name: `Take part in “Evaluation ${slug}”` }).click();
  await page.getByRole("heading", { level: 1, name: "Take part" }).waitFor();
  await checkPage(page, "join-open");
  await page.getByRole("button", { name: "Join and take part" }).click();
  await page.getByRole("button", { name: /continue/ }).click();
  await page.getByRole("checkbox", { name: "Count in results" }).check();
  await page.getByRole("button", { name: "Save my choices and start" }).click();
  await page.waitForURL(/\/e\/open-door\/judge$/);
  await page.getByRole("button", { name: "A is better" }).waitFor();
  const joined = await server.pool.query<{ assurance: string; invitation_token: string | null }>("SELECT p.assurance, p.invitation_token FROM participants p JOIN evaluations e ON e.id = p.evaluation_id WHERE e.slug = 'open-door'");
  assert.deepEqual(joined.rows, [{ assurance: "open_link", invitation_token: null }]);

  assert.equal((await organiser.client.patch(`/api/evaluations/${slug}`, { phase: "deliberate" })).status, 200);
  await page.reload();
  await page.getByText("Judging is paused while participants deliberate.", { exact: false }).waitFor();
  await page.locator("#deliberation-phase").getByRole("link", { name: "Discuss and vote on statements" }).waitFor();
  await checkPage(page, "judge-deliberation-phase");
  await page.goto(`${server.baseUrl}/`);
  await page.getByRole("link", { name: `Continue in “Evaluation ${slug}”` }).waitFor();
  assertNoProblems(problems, "the open door");
  await context.close();
});

/** The answers section alone, at both widths, saved beside the other screenshots. */
async function screenshotSection(page: Page, heading: string, name: string): Promise<void> {
  const section = page.locator("section", { has: page.locator(heading) }).last();
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 1280 ? 900 : 740 });
    await section.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
