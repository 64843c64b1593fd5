import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { assertNoProblems, assertVisibleFocus, checkPage, launchBrowser, openPage, startWebServer, tabTo, type WebServer } from "./support.ts";

let server: WebServer;
let browser: Browser;
before(async () => {
  server = await startWebServer({ demo: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("a participant joins the demo, consents, judges keyboard-only, contests, revokes and sees it in my data", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);

  await page.goto(`${server.baseUrl}/join/llmfao-demo`);
  await page.getByRole("heading", { level: 1, name: "You are invited" }).waitFor();
  await checkPage(page, "join-invitation");
  await page.getByRole("button", { name: "Accept the invitation" }).click();

  await page.getByRole("heading", { level: 1, name: "The charter" }).waitFor();
  await page.getByText("Groups smaller than 10 people are never shown.").waitFor();
  await checkPage(page, "join-charter");
  await page.getByRole("button", { name: /continue/ }).click();

  await page.getByRole("heading", { level: 1, name: "Your choices" }).waitFor();
  const aggregate = page.getByRole("checkbox", { name: "Count in results" });
  assert.equal(await aggregate.isChecked(), false, "nothing is pre-selected");
  await page.getByRole("button", { name: "Save my choices and start" }).click();
  await page.getByText("Choose at least one use to take part").waitFor();
  await checkPage(page, "join-consent-error");
  await aggregate.check();
  await page.getByRole("checkbox", { name: "Research" }).check();
  await page.getByLabel("Communities you belong to (optional)").fill("nurses, madrid");
  await page.getByRole("button", { name: "Save my choices and start" }).click();

  await page.waitForURL(/\/e\/llmfao\/judge$/);
  await page.getByRole("heading", { name: "Which answer is better?" }).or(page.getByText("Which answer is better?")).first().waitFor();
  await page.getByText("Answer A", { exact: true }).first().waitFor();
  await checkPage(page, "judge-battle");

  // Keyboard only: Tab to "A is better", see the focus ring, press Enter.
  await page.locator("#main").focus();
  await tabTo(page, "A is better");
  await assertVisibleFocus(page);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Recorded. Here is who answered" }).waitFor();
  assert.equal(await page.evaluate("document.activeElement?.id"), "revealed-heading", "focus moves to the reveal");
  const revealed = await page.locator(".reveal-list dd").allTextContents();
  assert.equal(revealed.length, 2, "both subjects are revealed after the vote");
  await checkPage(page, "judge-revealed");
  await tabTo(page, "Next");
  await page.keyboard.press("Enter");

  // Contest the next item, with a reason; an empty reason is refused inline first.
  await page.getByText("Abstain or contest this item").click();
  await page.getByRole("radio", { name: /Contest the item/ }).check();
  await page.getByRole("button", { name: "Contest", exact: true }).click();
  const reason = page.getByRole("textbox", { name: /Your reason/ });
  await page.getByText("This field is required.").waitFor();
  assert.equal(await reason.getAttribute("aria-invalid"), "true");
  assert.match((await reason.getAttribute("aria-describedby")) ?? "", /f-reason-error/);
  await reason.fill("The prompt asks for content that should not be generated.");
  await page.getByRole("button", { name: "Contest", exact: true }).click();
  await page.getByText("Your answer: contested the item.").waitFor();

  const { rows } = await server.pool.query<{ kind: string; target: string | null }>("SELECT kind, body->>'target' AS target FROM judgments WHERE participant_id IN (SELECT id FROM participants WHERE communities @> ARRAY['nurses']) ORDER BY seq");
  assert.deepEqual(rows.map((r) => r.kind), ["pairwise", "contest"]);
  assert.equal(rows[1]?.target, "item");

  // My data: revoke research, then see the receipt.
  await page.getByRole("link", { name: "My data" }).click();
  await page.getByRole("heading", { level: 1, name: "My data" }).waitFor();
  await page.getByRole("button", { name: "Revoke “Research”" }).click();
  await page.getByText("Revoked: Research.").waitFor();
  const receipts = page.locator("#consent-receipts tbody tr");
  await receipts.nth(1).waitFor();
  assert.equal(await receipts.count(), 2, "a grant and a revocation");
  assert.match(await receipts.first().innerText(), /Revoked[\s\S]*Research/);
  await checkPage(page, "my-data");
  const consent = await server.pool.query<{ scopes: string[] }>("SELECT scopes FROM consents WHERE participant_id IN (SELECT id FROM participants WHERE communities @> ARRAY['nurses'])");
  assert.deepEqual(consent.rows[0]?.scopes, ["aggregate"]);

  await page.getByRole("link", { name: "Deliberate" }).click();
  await page.getByRole("heading", { level: 1, name: "Deliberate" }).waitFor();
  await page.getByLabel(/Write a statement/).fill("Short answers are better when the prompt is simple.");
  await page.getByRole("button", { name: "Add the statement" }).click();
  await page.getByText("Statement added.").waitFor();
  await page.getByRole("heading", { name: "Opinion map" }).waitFor();
  await page.getByRole("heading", { name: "Discussion" }).waitFor();
  await checkPage(page, "deliberate");
  await page.getByRole("link", { name: "Govern" }).click();
  await page.getByRole("heading", { level: 1, name: "Govern" }).waitFor();
  await page.getByRole("heading", { name: "Minority reports" }).waitFor();
  await checkPage(page, "govern");

  await page.getByRole("link", { name: "Judge" }).click();
  await page.getByRole("heading", { name: "Your judgments" }).waitFor();
  await checkPage(page, "judge-revise");
  assertNoProblems(problems, "the participant journey");
  await context.close();
});
