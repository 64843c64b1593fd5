import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { LOOPBACK_ALLOWED, startFakeOpenAIServer, type FakeOpenAIServer } from "../connectors/support/fake-openai-server.ts";
import { createEvaluation, invite, joinInBrowser, organiserAccount } from "./scenario.ts";
import { assertNoProblems, checkPage, launchBrowser, openPage, startWebServer, type WebServer } from "./support.ts";

const KEY = "sk-e2e-live-0123456789abcdef";
const ALPHA = ["You can apply ", "online ", "at the council ", "website."];
const BETA = ["Call the ", "benefits office ", "and ask ", "for a form."];
let server: WebServer;
let browser: Browser;
let llm: FakeOpenAIServer;
let token: string;
let organiser: Awaited<ReturnType<typeof organiserAccount>>["client"];
const slug = "live-e2e";

before(async () => {
  // the fake endpoint listens on loopback: the operator allows private endpoints explicitly
  server = await startWebServer({ live: { outbound: LOOPBACK_ALLOWED, modelsDir: null } });
  browser = await launchBrowser();
  llm = await startFakeOpenAIServer(KEY);
  // Slow chunks, so the page is seen while both answers are still being written.
  llm.script("alpha-model", [{ type: "stream", chunks: ALPHA, chunkDelayMs: 250 }]);
  llm.script("beta-model", [{ type: "stream", chunks: BETA, chunkDelayMs: 250 }]);
  const { client } = await organiserAccount(server.baseUrl);
  organiser = client;
  await createEvaluation(client, slug, { participantItems: "open" });
  for (const [name, model] of [["Alpha", "alpha-model"], ["Beta", "beta-model"]] as const) {
    const subject = await client.post<{ subject: { id: string } }>(`/api/evaluations/${slug}/subjects`, { name, kind: "model", organisation: `${name} Org` });
    const endpoint = await client.put(`/api/evaluations/${slug}/subjects/${subject.body.subject.id}/endpoint`, { kind: "openai_compatible", baseURL: llm.baseURL, model, apiKey: KEY, maxRetries: 0 });
    assert.equal(endpoint.status, 200, JSON.stringify(endpoint.body));
  }
  assert.equal((await client.patch(`/api/evaluations/${slug}`, { status: "open" })).status, 200);
  token = await invite(client, slug);
});
/** Polls a condition in the page (waitForFunction would need eval, which the CSP forbids). */
async function until(check: () => Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting for the page");
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

after(async () => {
  await browser?.close();
  await llm?.close();
  await server?.close();
});

test("a participant writes a prompt, watches two anonymous answers stream side by side, judges, sees who answered, and revises from the server's list", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  await joinInBrowser(page, server.baseUrl, token);
  await page.getByRole("radio", { name: "Write your own prompt" }).check();
  await page.getByRole("heading", { name: "Your own prompt, answered live" }).waitFor();
  await checkPage(page, "live-prompt");

  // An empty prompt is refused inline, before anything is sent.
  await page.getByRole("button", { name: "Ask both systems" }).click();
  const prompt = page.getByRole("textbox", { name: /Your prompt/ });
  await page.getByText("This field is required.").waitFor();
  assert.equal(await prompt.getAttribute("aria-invalid"), "true");
  assert.equal(llm.requests.length, 0);

  await prompt.fill("How do I apply for housing benefit?");
  await page.getByRole("button", { name: "Ask both systems" }).click();
  const status = page.getByRole("status").filter({ hasText: "Both systems are writing their answers…" });
  await status.waitFor();
  assert.equal(await status.getAttribute("aria-live"), "polite");
  // Mid-stream: each side shows its first chunk before the last one has been written.
  const answerA = page.getByRole("region", { name: "Answer A" });
  const answerB = page.getByRole("region", { name: "Answer B" });
  await until(() => page.evaluate(`[...document.querySelectorAll(".response-text")].every((el) => /\\w/.test(el.textContent) && !el.textContent.includes("Waiting"))`));
  const partial = [await answerA.innerText(), await answerB.innerText()].join(" ");
  assert.ok(!partial.includes("website.") || !partial.includes("for a form."), `still streaming: ${partial}`);
  assert.equal(await page.locator(".battle[aria-busy='true'] [aria-live]").count(), 0, "the streamed words are not announced one by one");

  // Ready: the normal pairwise judging UI on the stored assignment, focus on the item.
  await page.getByRole("button", { name: "A is better" }).waitFor({ timeout: 20_000 });
  assert.equal(await page.evaluate("document.activeElement?.id"), "item-heading");
  const texts = (await page.locator(".response-text").allInnerTexts()).sort();
  assert.deepEqual(texts, [ALPHA.join(""), BETA.join("")].sort());
  await checkPage(page, "live-judge");
  const textOfA = (await page.locator(".response-text").first().innerText()).trim();
  await page.getByRole("button", { name: "A is better" }).click();
  await page.getByRole("heading", { name: "Recorded. Here is who answered" }).waitFor();
  const revealed = await page.locator(".reveal-list dd").allInnerTexts();
  assert.deepEqual([...revealed].map((r) => r.replace(/ \(.*\)$/, "")).sort(), ["Alpha", "Beta"]);
  const subjectOfA = textOfA === ALPHA.join("") ? "Alpha" : "Beta";
  assert.equal(revealed[0]?.startsWith(subjectOfA), true, "the letter A belonged to the subject whose answer was shown as A");
  await checkPage(page, "live-revealed");

  const stored = await server.pool.query<{ prompt: string; author: string | null }>("SELECT prompt, author_participant_id AS author FROM items");
  assert.equal(stored.rows.length, 1);
  assert.equal(stored.rows[0]?.prompt, "How do I apply for housing benefit?");
  assert.ok(stored.rows[0]?.author, "the item is the participant's own");

  // After deliberation the organiser opens the revise phase (votes are never rewritten before it).
  assert.equal((await organiser.patch(`/api/evaluations/${slug}`, { phase: "revise" })).status, 200);
  // Revise from the server's list: no local storage involved.
  await page.evaluate("localStorage.clear()");
  await page.reload();
  await page.getByRole("heading", { name: "Your judgments" }).waitFor();
  await page.getByText("A was", { exact: false }).first().waitFor();
  await page.getByRole("button", { name: /^Revise: How do I apply/ }).click();
  await page.getByRole("radio", { name: "B is better" }).check();
  await page.getByRole("textbox", { name: /Why\?/ }).last().fill("After the discussion the phone route seems kinder.");
  await page.getByRole("button", { name: "Save revision" }).click();
  await page.getByText("Earlier versions (1)").waitFor();
  await checkPage(page, "live-revise");
  const versions = await server.pool.query<{ outcome: string; revises: string | null }>("SELECT body->>'outcome' AS outcome, revises FROM judgments ORDER BY seq");
  assert.deepEqual(versions.rows.map((r) => r.outcome), ["a", "b"]);
  assert.ok(versions.rows[1]?.revises, "the second version revises the first");

  // My data lists every version, with the subjects behind the letters.
  await page.getByRole("link", { name: "My data" }).click();
  await page.getByRole("heading", { name: "My contributions", exact: true }).waitFor();
  const rows = page.locator("#my-contributions tbody tr");
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /B is better[\s\S]*current \(revised\)/);
  assert.match(await rows.nth(1).innerText(), /A is better[\s\S]*replaced by a revision/);
  assert.match(await rows.nth(0).innerText(), /A: (Alpha|Beta), B: (Alpha|Beta)/);
  await checkPage(page, "my-contributions");
  assertNoProblems(problems, "the live battle");
  await context.close();
});
