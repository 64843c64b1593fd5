import assert from "node:assert/strict";
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

test("the demo's public results show several rules side by side, a forest plot with its table, sensitivity and dissent", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  await page.goto(`${server.baseUrl}/e/llmfao/results`);
  await page.locator("#side-by-side").waitFor({ timeout: 120_000 });
  const headers = await page.locator("#side-by-side thead th").allInnerTexts();
  for (const rule of ["Bradley–Terry", "Online Elo", "Borda count", "Ranked pairs"]) {
    assert.ok(headers.some((h) => h.startsWith(rule)), `${rule} is a column (${headers.join(" | ")})`);
  }
  const api = (await (await fetch(`${server.baseUrl}/api/evaluations/llmfao/results`)).json()) as { rules: { rule: string; subjects: unknown[] }[] };
  const judged = api.rules.find((r) => r.rule === "bt")?.subjects.length ?? 0;
  assert.ok(judged > 50, "most demo models have judgments");
  assert.equal(await page.locator("#side-by-side tbody tr").count(), judged, "one row per judged subject");
  await page.locator(".plot-holder svg").waitFor();
  assert.equal(await page.locator(".plot-holder svg style").count(), 0, "no inline style element under the CSP");
  assert.equal(await page.locator("#forest-table tbody tr").count(), judged, "the plot's table alternative lists every subject");
  await page.locator("#tau-matrix").waitFor();
  await page.getByRole("heading", { name: "Dissent and agreement" }).waitFor();
  await checkPage(page, "results");
  assertNoProblems(problems, "the results page");
  await context.close();
});

test("the demo's results page shows the bridging board, the cost to manipulate each rank and the anomalies section", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  await page.goto(`${server.baseUrl}/e/llmfao/results`);
  await page.getByRole("heading", { name: "Bridging across opinion groups" }).waitFor({ timeout: 120_000 });
  await page.getByRole("heading", { name: "Cost to manipulate a rank" }).waitFor();
  await page.getByRole("heading", { name: "Vote anomalies (reported, not removed)" }).waitFor();
  const api = (await (await fetch(`${server.baseUrl}/api/evaluations/llmfao/results?by=community`)).json()) as { beyondArena: { manipulation: { pairs: unknown[] } | null } };
  const swaps = page.locator("#manipulation-heading + p + table tbody tr");
  assert.ok((api.beyondArena.manipulation?.pairs.length ?? 0) > 0, "the API has costs");
  assert.ok((await swaps.count()) >= (api.beyondArena.manipulation?.pairs.length ?? 0), "one row per pair of neighbours (and the last into the top tier)");
  await checkPage(page, "results-beyond-arena");
  assertNoProblems(problems, "the results page");
  await context.close();
});
