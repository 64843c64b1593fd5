import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { assertNoProblems, checkPage, launchBrowser, openPage, startWebServer, type WebServer } from "./support.ts";

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

/** Runs in the browser (the test's own types have no DOM). */
const cssDirection = (el: unknown) => (globalThis as unknown as { getComputedStyle: (node: unknown) => { direction: string } }).getComputedStyle(el).direction;

interface ApiSummary {
  summary: { text: string[]; tiers: { subjects: string[] }[] };
}

test("the demo's results open with the same plain-words summary the API returns; leaders as a group, not twelve rank 1s", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  await page.goto(`${server.baseUrl}/e/llmfao/results`);
  const panel = page.locator("#results-summary");
  await panel.waitFor({ timeout: 120_000 });
  const api = (await (await fetch(`${server.baseUrl}/api/evaluations/llmfao/results?by=community`)).json()) as ApiSummary;
  // the page shows exactly the server's English sentences (without the direction isolates it adds around names)
  const shown = (await panel.locator("dd").allInnerTexts()).map((text) => text.replace(/[\u2068\u2069]/g, "").trim());
  assert.deepEqual(shown, api.summary.text);
  assert.match(shown[0] ?? "", /subjects share the lead under Bradley–Terry/);
  assert.ok(api.summary.tiers.length > 1);
  // the summary comes before the detail
  const summaryTop = (await panel.boundingBox())?.y ?? Infinity;
  await page.locator("#side-by-side").waitFor();
  assert.ok(summaryTop < ((await page.locator("#side-by-side").boundingBox())?.y ?? 0));
  // parameters are in plain words, not key = value
  assert.ok(await page.getByText("Fitted by maximum likelihood (Newton's method), without a penalty.").isVisible());
  await page.locator(".plot-holder svg").waitFor();
  await checkPage(page, "results-summary");
  mkdirSync("/work/artifacts", { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await panel.screenshot({ path: "/work/artifacts/results-summary-en.png" });
  assertNoProblems(problems, "the results summary");
  await context.close();
});

test("in Arabic: the summary and the rule cards are translated, English names and the plot stay left to right", async () => {
  const context = await browser.newContext({ locale: "ar" });
  const { page, problems } = await openPage(context);
  await page.goto(`${server.baseUrl}/e/llmfao/results`);
  const panel = page.locator("#results-summary");
  await panel.waitFor({ timeout: 120_000 });
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  await page.getByRole("heading", { name: "النتائج في دقيقة واحدة" }).waitFor();
  const first = await panel.locator("dd").first().innerText();
  assert.match(first, /تتشارك الصدارة وفق/);
  assert.match(first, /\u2068GPT 4\u2069/, "a model's name is isolated in its own direction");
  assert.ok(await page.getByText("مُقدَّر بالإمكان الأعظم (طريقة نيوتن)، دون عقوبة.").first().isVisible(), "bt's method in Arabic");
  await page.locator(".plot-holder svg").waitFor();
  assert.equal(await page.locator(".plot-holder").evaluate(cssDirection), "ltr");
  // the y-axis labels end left of the plotting area: no tick label runs into the dots
  const overlap = await page.locator(".plot-holder svg").evaluate((svg) => {
    const labels = [...svg.querySelectorAll("[aria-label='y-axis tick label'] text, g[aria-label='y-axis tick label'] text")];
    const dots = [...svg.querySelectorAll("circle")];
    const dotLeft = Math.min(...dots.map((d) => d.getBoundingClientRect().left));
    return labels.filter((l) => l.getBoundingClientRect().right > dotLeft + 1).length;
  });
  assert.equal(overlap, 0);
  await checkPage(page, "results-summary-ar");
  await panel.screenshot({ path: "/work/artifacts/results-summary-ar.png" });
  assertNoProblems(problems, "the Arabic results summary");
  await context.close();
});

test("in Arabic, an English prompt with code reads left to right on the judge page", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  await page.goto(`${server.baseUrl}/join/llmfao-demo`);
  await page.getByRole("button", { name: "Accept the invitation" }).click();
  await page.getByRole("button", { name: /continue/ }).click();
  await page.getByRole("checkbox", { name: "Count in results" }).check();
  await page.getByRole("checkbox", { name: "Research" }).check();
  await page.getByRole("button", { name: "Save my choices and start" }).click();
  await page.locator(".markdown.prompt").waitFor({ timeout: 60_000 });
  await page.evaluate("localStorage.setItem('counterpublic.language', 'ar')");
  await page.reload();
  const prompt = page.locator(".markdown.prompt");
  await prompt.waitFor({ timeout: 60_000 });
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  const direction = (selector: string) => page.locator(selector).first().evaluate(cssDirection);
  assert.equal(await direction(".markdown.prompt p"), "ltr", "an English prompt takes its direction from its text");
  for (const answer of await page.locator(".markdown.response-text > *").all()) {
    const text = await answer.innerText();
    if (/^[A-Za-z]/.test(text.trim())) assert.equal(await answer.evaluate(cssDirection), "ltr", text.slice(0, 40));
  }
  if ((await page.locator(".markdown pre").count()) > 0) assert.equal(await direction(".markdown pre"), "ltr", "code stays left to right");
  await checkPage(page, "judge-ar");
  // after revoking "count in results" the judge page warns before the next judgment
  const revoked = await page.evaluate(`fetch("/api/evaluations/llmfao/consent/revoke", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scopes: ["aggregate"] }) }).then((r) => r.status)`);
  assert.equal(revoked, 200);
  await page.reload();
  await page.getByText("لقد سحبت «الاحتساب في النتائج»").waitFor();
  await page.locator(".markdown.prompt").waitFor();
  await checkPage(page, "judge-ar-not-counted");
  assertNoProblems(problems, "the Arabic judge page");
  await context.close();
});
