import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { createEvaluation, invite, joinInBrowser, organiserAccount } from "./scenario.ts";
import { assertNoProblems, checkPage, launchBrowser, openPage, startWebServer, type WebServer } from "./support.ts";

let server: WebServer;
let browser: Browser;
const slug = "civic-governance";

before(async () => {
  server = await startWebServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Two days ahead, as the datetime-local control takes it (the browser runs in the machine's zone). */
function inTwoDays(): string {
  const d = new Date(Date.now() + 2 * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

async function propose(page: Page, kind: string, title: string, fill: () => Promise<void> = async () => {}): Promise<void> {
  const form = page.locator("details", { has: page.getByText("Make a proposal") });
  if (!(await form.evaluate((d) => (d as { open: boolean }).open))) await form.locator("summary").click();
  await page.getByLabel("Kind of decision").selectOption({ label: kind });
  await page.getByLabel(/^Title/).first().fill(title);
  await fill();
  await page.getByLabel(/^Voting deadline/).fill(inTwoDays());
  await page.getByRole("button", { name: "Submit the proposal" }).click();
  await page.getByRole("heading", { level: 3, name: title }).waitFor();
}

async function voteYes(page: Page, title: string): Promise<void> {
  const card = page.locator("li.proposal", { has: page.getByRole("heading", { level: 3, name: title }) });
  await card.getByRole("radio", { name: "Yes" }).check();
  await card.getByRole("button", { name: "Cast the ballot" }).click();
  await card.getByText("Voted so far: 1 of 1 who count; quorum: 1.").waitFor();
}

/** Moves every open proposal's deadline to now (after the ballots), so the next read closes and carries them out. */
async function reachDeadlines(): Promise<void> {
  await server.pool.query("UPDATE proposals SET deadline = now() WHERE status = 'open'");
  await new Promise((resolve) => setTimeout(resolve, 50));
}

test("every proposal kind is submitted through its form, voted on from an empty ballot, and carried out; no self-endorsement", async () => {
  const organiser = await organiserAccount(server.baseUrl);
  await createEvaluation(organiser.client, slug, { governance: { quorum: 0.2, decisionMethod: "majority" } });
  const subjects: string[] = [];
  for (const name of ["Alpha", "Beta"]) subjects.push((await organiser.client.post<{ subject: { id: string } }>(`/api/evaluations/${slug}/subjects`, { name, kind: "model" })).body.subject.id);
  const item = await organiser.client.post<{ item: { id: string } }>(`/api/evaluations/${slug}/items`, { prompt: "How do I apply for housing benefit?" });
  for (const subjectId of subjects) await organiser.client.post(`/api/evaluations/${slug}/responses`, { itemId: item.body.item.id, subjectId, text: `An answer from ${subjectId}` });
  assert.equal((await organiser.client.patch(`/api/evaluations/${slug}`, { status: "open" })).status, 200);
  const token = await invite(organiser.client, slug);

  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  await joinInBrowser(page, server.baseUrl, token);
  await page.goto(`${server.baseUrl}/e/${slug}/govern`);
  await page.getByRole("heading", { level: 1, name: "Govern" }).waitFor();

  // "Adopt a rule" names its rule in a field of its own; left empty, the field says so.
  await page.locator("summary", { hasText: "Make a proposal" }).click();
  await page.getByLabel("Kind of decision").selectOption({ label: "Adopt a rule" });
  await page.getByLabel(/^Title/).first().fill("Plain language rule");
  await page.getByLabel(/^Voting deadline/).fill(inTwoDays());
  await page.getByRole("button", { name: "Submit the proposal" }).click();
  assert.equal(await page.getByLabel(/^The rule to adopt/).getAttribute("aria-invalid"), "true");
  await page.getByLabel(/^The rule to adopt/).fill("Every published result comes with a plain-language summary.");
  await page.getByRole("button", { name: "Submit the proposal" }).click();
  await page.getByRole("heading", { level: 3, name: "Plain language rule" }).waitFor();
  await page.getByText("Rule: Every published result comes with a plain-language summary.").waitFor();

  await propose(page, "Other decision", "Meet monthly");
  await propose(page, "Approve a data release", "Share with the university", async () => {
    await page.getByLabel("Data use to release").selectOption({ label: "Research" });
    await page.getByLabel(/^Recipient/).fill("University of Example, civic tech lab");
  });
  await propose(page, "Amend the charter", "Lower the quorum", async () => {
    await page.getByLabel(/^Quorum/).fill("15");
    await page.getByRole("checkbox", { name: "Anyone may join without an invitation" }).check();
  });
  await page.getByText(/New settings: Majority; quorum 15%; .*anyone may join without an invitation\./).waitFor();
  await propose(page, "Withhold the data", "Hold the data until the review");

  // A ballot starts with nothing chosen; casting without a choice is stopped with a reason.
  const first = page.locator("li.proposal", { has: page.getByRole("heading", { level: 3, name: "Meet monthly" }) });
  assert.equal(await first.locator("input[type=radio]:checked").count(), 0, "no choice is made for the voter");
  await first.getByText("Voted so far: 0 of 1 who count; quorum: 1.").waitFor();
  await first.getByRole("button", { name: "Cast the ballot" }).click();
  await first.getByText("Choose one option.").waitFor();
  await checkPage(page, "govern-proposals");
  for (const title of ["Plain language rule", "Meet monthly", "Share with the university", "Lower the quorum", "Hold the data until the review"]) await voteYes(page, title);

  await reachDeadlines();
  await page.reload();
  await page.getByText("Carried out: the charter is now version 2.").waitFor();
  await page.getByText("Carried out: data is withheld.").waitFor();
  await page.getByText("Carried out: this release is permitted.").waitFor();
  assert.equal(await page.getByText("Carried out: recorded as decided.").count(), 2, "the rule and the other decision are recorded");
  await page.getByText("Data is being withheld by collective decision: no export can be made.").waitFor();
  const charter = await server.pool.query<{ version: number; quorum: number; open: boolean }>(
    "SELECT c.version, (c.content->'governance'->>'quorum')::float AS quorum, (c.content->>'openParticipation')::boolean AS open FROM charters c JOIN evaluations e ON e.id = c.evaluation_id WHERE e.slug = $1 ORDER BY c.version DESC LIMIT 1",
    [slug],
  );
  assert.deepEqual(charter.rows[0], { version: 2, quorum: 0.15, open: true });

  await propose(page, "End withholding", "Release the hold");
  await voteYes(page, "Release the hold");
  await reachDeadlines();
  await page.reload();
  await page.getByText("Carried out: withholding has ended.").waitFor();
  assert.equal(await page.getByText("Data is being withheld by collective decision").count(), 0);
  const kinds = await server.pool.query<{ kind: string; status: string }>("SELECT kind, status FROM proposals ORDER BY kind");
  assert.deepEqual(kinds.rows.map((r) => `${r.kind}:${r.status}`).sort(), ["adopt_rule:passed", "amend_charter:passed", "custom:passed", "end_withholding:passed", "release_data:passed", "withhold_data:passed"]);

  // A demand: its threshold shown with progress; its author is not offered an endorsement of their own.
  await page.locator("summary", { hasText: "Make a demand" }).click();
  await page.getByLabel(/^Your demand/).fill("Publish the prompts");
  await page.getByLabel(/^Explain it/).fill("Residents should see exactly what the assistants were asked.");
  await page.getByRole("button", { name: "Submit the demand" }).click();
  await page.getByText("You wrote this demand: writing it counts as your endorsement.").waitFor();
  await page.getByText(/Endorsements that count: 1 of 1 needed/).waitFor();
  assert.equal(await page.getByRole("button", { name: "Endorse “Publish the prompts”" }).count(), 0);
  await checkPage(page, "govern-decided");
  assertNoProblems(problems, "governance");
  await context.close();
});
