import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { joinAs } from "../support/scenario.ts";
import type { Client } from "../support/server.ts";
import { createEvaluation, invite, organiserAccount, signInInBrowser, type Organiser } from "./scenario.ts";
import { assertNoProblems, checkPage, launchBrowser, openPage, startWebServer, type WebServer } from "./support.ts";

const KEY = "sk-never-shown-0123456789";
const REPORT = "The framing assumes one assistant fits every resident.\nWe disagree, and ask that this stays beside the results.";
let server: WebServer;
let browser: Browser;
let organiser: Organiser;
const slug = "record-e2e";
const demandIds: string[] = [];

async function judgeOnce(participant: Client, judgment: Record<string, unknown>): Promise<void> {
  const assignment = await participant.post<{ token: string }>(`/api/evaluations/${slug}/assignments`, { mode: "pairwise" });
  const cast = await participant.post(`/api/evaluations/${slug}/assignments/${assignment.body.token}/judgment`, { judgment });
  assert.equal(cast.status, 201, JSON.stringify(cast.body));
}

before(async () => {
  server = await startWebServer();
  browser = await launchBrowser();
  organiser = await organiserAccount(server.baseUrl);
  const client = organiser.client;
  await createEvaluation(client, slug, { governance: { minorityReportSignatures: 2, demandThreshold: 0.1, demandAnswerDays: 14 } });
  const subjects: string[] = [];
  for (const name of ["Alpha", "Beta"]) subjects.push((await client.post<{ subject: { id: string } }>(`/api/evaluations/${slug}/subjects`, { name, kind: "model" })).body.subject.id);
  for (const prompt of ["How do I apply for housing benefit?", "Can I get help with rent arrears?"]) {
    const item = await client.post<{ item: { id: string } }>(`/api/evaluations/${slug}/items`, { prompt });
    for (const subjectId of subjects) await client.post(`/api/evaluations/${slug}/responses`, { itemId: item.body.item.id, subjectId, text: `An answer to: ${prompt}` });
  }
  assert.equal((await client.patch(`/api/evaluations/${slug}`, { status: "open" })).status, 200);
  const scenario = { slug, invitation: await invite(client, slug), organiser: client, subjects: [], items: [] };
  const [first, second] = [await joinAs(server.baseUrl, scenario, ["aggregate", "publish"]), await joinAs(server.baseUrl, scenario, ["aggregate"])];
  await judgeOnce(first, { kind: "pairwise", outcome: "a" });
  await judgeOnce(first, { kind: "abstention", reason: "I do not know the rules on arrears." });
  await judgeOnce(second, { kind: "contest", target: "framing", reason: "Residents were not asked which questions matter." });
  const report = await first.post<{ report: { id: string } }>(`/api/evaluations/${slug}/minority-reports`, { title: "One size does not fit all", text: REPORT });
  assert.equal((await second.post(`/api/evaluations/${slug}/minority-reports/${report.body.report.id}/signatures`)).status, 201);
  for (const [who, title] of [[first, "Pay participants"], [second, "Publish the prompts"]] as const) {
    const demand = await who.post<{ demand: { id: string } }>(`/api/evaluations/${slug}/demands`, { title, text: `${title}, please.` });
    demandIds.push(demand.body.demand.id);
  }
  // Both demands passed the threshold a month ago: their answers are overdue.
  await server.pool.query("UPDATE demands SET owed_since = now() - interval '30 days'");
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the organiser watches progress, answers a demand, sets progress and a milestone, connects an endpoint, imports a file, describes a use case and exports", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  await signInInBrowser(page, server.baseUrl, organiser);
  await page.goto(`${server.baseUrl}/organise/${slug}`);
  await page.getByRole("heading", { level: 1, name: `Evaluation ${slug}` }).waitFor();
  const counts = page.locator("#progress-counts");
  await counts.waitFor();
  const stat = async (label: string) => (await counts.locator("div").filter({ has: page.getByText(label, { exact: true }) }).locator("dd").innerText()).trim();
  assert.equal(await stat("Participants"), "2");
  assert.equal(await stat("Judgments"), "3");
  assert.equal(await stat("Abstentions"), "1");
  assert.equal(await stat("Contests"), "1");
  await page.getByText("1 of 1 pairs of subjects compared (100%).").waitFor();
  await page.getByText("2 demands are past their deadline without an answer.").waitFor();
  await checkPage(page, "organise-desk");

  // Answer the first demand in public, then move it forward; declining without a reason is refused inline.
  await page.getByRole("textbox", { name: /Your public answer to “Pay participants”/ }).fill("We will pay the regional living wage from next month.");
  await page.getByRole("button", { name: "Publish the answer" }).first().click();
  await page.getByText("We will pay the regional living wage from next month.").waitFor();
  await page.getByLabel("Progress on “Pay participants”").selectOption("declined");
  await page.getByRole("button", { name: "Update progress" }).first().click();
  await page.getByText("This field is required.").first().waitFor();
  await page.getByLabel("Progress on “Pay participants”").selectOption("in_progress");
  await page.getByRole("button", { name: "Update progress" }).first().click();
  await page.getByText("Progress: in progress").waitFor();
  await page.getByRole("textbox", { name: /New milestone for “Pay participants”/ }).fill("Budget approved");
  await page.getByRole("button", { name: "Add the milestone" }).first().click();
  await page.getByText("Budget approved").waitFor();
  const demand = await server.pool.query<{ answer: string; progress: string }>("SELECT answer, progress FROM demands WHERE id = $1", [demandIds[0]]);
  assert.deepEqual(demand.rows[0], { answer: "We will pay the regional living wage from next month.", progress: "in_progress" });

  // A use case, described in its deployment setting.
  await page.getByLabel(/^Name/).fill("Benefits chat on the council website");
  await page.getByLabel("Kind", { exact: true }).selectOption("use_case");
  await page.getByLabel("Who uses it").fill("Residents applying for housing benefit");
  await page.getByLabel("What it is used for").fill("Explaining eligibility before an application");
  await page.getByLabel("Who is affected").fill("Applicants and their households");
  await page.getByLabel("Artifact title").fill("Deployment screenshot description");
  await page.getByRole("button", { name: "Add the subject" }).click();
  await page.getByText("Who is affected: Applicants and their households").waitFor();

  // Connect a subject to an endpoint; the key goes to the server and is never shown back.
  await page.getByRole("region", { name: "Live answers from an endpoint" }).getByLabel("Subject").selectOption({ label: "Beta" });
  await page.getByLabel(/^Endpoint address/).fill("https://llm.example.org/v1");
  await page.getByLabel(/^Model name/).fill("beta-large");
  await page.getByLabel(/^API key/).fill(KEY);
  await page.getByRole("button", { name: "Connect the endpoint" }).click();
  await page.getByText("Beta now answers live with beta-large at https://llm.example.org/v1. A key is stored.").waitFor();
  assert.equal(await page.getByLabel(/^API key/).inputValue(), "", "the key field is emptied");
  assert.ok(!(await page.content()).includes(KEY), "the key appears nowhere on the page");
  const endpoint = await server.pool.query<{ config: { model: string } }>("SELECT e.config FROM subject_endpoints e JOIN subjects s ON s.id = e.subject_id WHERE s.name = 'Beta'");
  assert.equal(endpoint.rows[0]?.config.model, "beta-large");

  // Import a file of (item, subject, response) rows, read in the browser.
  await page.getByLabel("File format").selectOption("outputs-jsonl");
  const rows = [{ item: "What is the rent cap?", subject: "Alpha", response: "There is none here." }, { item: "What is the rent cap?", subject: "Beta", response: "It depends on the area." }];
  await page.getByLabel("File", { exact: true }).setInputFiles({ name: "outputs.jsonl", mimeType: "application/json", buffer: Buffer.from(rows.map((r) => JSON.stringify(r)).join("\n")) });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const imported = page.getByText(/^Imported \d+ items/).or(page.locator(".form-status .error-text"));
  await imported.first().waitFor();
  assert.match(await imported.first().innerText(), /^Imported 1 items, \d+ subjects, 2 responses and 0 judgments\.$/);
  assert.equal((await server.pool.query("SELECT 1 FROM items WHERE prompt = 'What is the rent cap?'")).rowCount, 1);

  // Export: an empty recipient is refused inline; then the audit record is shown.
  await page.getByLabel("Data use", { exact: true }).selectOption("publish");
  await page.getByRole("textbox", { name: /^Purpose/ }).fill("An open dataset of residents' judgments");
  await page.getByRole("button", { name: "Export and record in the audit log" }).click();
  assert.equal(await page.getByRole("textbox", { name: /^Recipient/ }).getAttribute("aria-invalid"), "true");
  await page.getByRole("textbox", { name: /^Recipient/ }).fill("City open data portal");
  await page.getByRole("button", { name: "Export and record in the audit log" }).click();
  await page.getByRole("heading", { name: "Exported and recorded in the audit log" }).waitFor();
  const audit = await page.locator("#export-audit").innerText();
  // one person consented to publish: below k, a public dataset of one person publishes nothing
  assert.match(audit, /Included\s+0\b/, "the two judgments of the one participant who consented to publish stay in");
  assert.match(audit, /fewer_than_k_contributors: 2/, "left out because fewer than k people would be in it");
  assert.match(audit, /consent_lacks_scope: 1/, "the other participant's contest is left out, with the reason");
  const exported = await server.pool.query<{ included_count: number; recipient: string }>("SELECT included_count, recipient FROM exports");
  assert.deepEqual(exported.rows, [{ included_count: 0, recipient: "City open data portal" }]);
  await checkPage(page, "organise-desk-done");
  assertNoProblems(problems, "the organiser desk");
  await context.close();
});

test("the public results carry the minority report verbatim, demands and answers with overdue flagged, labour, the export log and the card", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  await page.goto(`${server.baseUrl}/e/${slug}/results`);
  await page.getByRole("heading", { name: "Minority reports" }).waitFor();
  const verbatim = page.locator(".minority-report blockquote");
  await verbatim.waitFor();
  assert.equal(await verbatim.textContent(), REPORT, "the report is shown word for word");
  await page.getByText("Published beside the results, signed by 2 people.").waitFor();
  await page.getByText("2 demands; 1 with an overdue answer.").waitFor();
  await page.getByText(/^Overdue: the sponsor owed a public answer/).waitFor();
  await page.getByText("We will pay the regional living wage from next month.").waitFor();
  await page.getByText(/^Answered late, on/).waitFor();
  await page.getByText("Budget approved").waitFor();
  await page.getByText("The map appears once at least 10 people have voted on statements.").waitFor();
  await page.getByRole("heading", { name: "Labour and exports" }).waitFor();
  const log = page.locator("#export-log tbody tr");
  await log.first().waitFor();
  assert.equal(await log.count(), 1);
  assert.match(await log.first().innerText(), /City open data portal/);
  await page.getByRole("button", { name: "Show the evaluation card" }).click();
  await page.getByText(/^2 participants made 3 judgments/).waitFor();
  const markdown = await page.getByRole("link", { name: "The card as Markdown" }).getAttribute("href");
  const card = await page.request.get(`${server.baseUrl}${markdown}`);
  assert.match(await card.text(), /^# Evaluation card: Evaluation record-e2e/);
  await checkPage(page, "results-record");
  assertNoProblems(problems, "the results record");
  await context.close();
});
