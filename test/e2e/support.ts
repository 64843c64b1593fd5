/**
 * End-to-end support: builds web-dist when it is stale, starts the real server (with the web app and a
 * fresh database cloned from the migrated template), drives Debian's chromium through playwright-core,
 * runs axe on pages and saves screenshots outside the repository.
 */
import AxeBuilder from "@axe-core/playwright";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { buildServer } from "../../src/app.ts";
import type { LiveSettings } from "../../src/platform/context.ts";
import { createAuth } from "../../src/platform/http/auth.ts";
import { ensureDemo } from "../../src/modules/demo/service.ts";
import { testDatabase } from "../support/db.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const WEB_SRC = path.join(ROOT, "src/web");
export const WEB_DIST = path.join(ROOT, "web-dist");
export const ARTIFACTS = process.env.COUNTERPUBLIC_ARTIFACTS ?? path.join(ROOT, ".test-artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds the web app when web-dist is missing or older than any file under src/web. */
export function ensureWebBuilt(): void {
  const index = path.join(WEB_DIST, "index.html");
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(WEB_SRC)) return;
  const built = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", path.join(WEB_SRC, "vite.config.ts")], { cwd: ROOT, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}\n${built.stderr}`);
}

export interface WebServer {
  baseUrl: string;
  pool: Awaited<ReturnType<typeof testDatabase>>["pool"];
  close: () => Promise<void>;
}

/** The real server with the built web app, over a fresh database; the demo evaluation is loaded when asked. */
export async function startWebServer(options: { demo?: boolean; live?: LiveSettings } = {}): Promise<WebServer> {
  ensureWebBuilt();
  const db = await testDatabase();
  const secret = "e2e-secret-".padEnd(48, "x");
  const auth = createAuth(db.pool, { secret, baseURL: "http://127.0.0.1", trustedOrigins: ["http://127.0.0.1:*"], attemptsPerMinute: false });
  const app = await buildServer({ services: { pool: db.pool, secret, ...(options.live ? { live: options.live } : {}) }, auth, rateLimit: 100_000, webDir: WEB_DIST });
  if (options.demo) await ensureDemo({ pool: db.pool });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pool: db.pool,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt install chromium, or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"] });
}

/** A page that records console errors and uncaught exceptions (CSP violations show up there). */
export async function openPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 4\d\d/.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return { page, problems };
}

/** axe-core, WCAG 2.1 A and AA: zero violations, with a readable message when there are some. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`);
  assert.deepEqual(summary, [], `axe violations on ${label}:\n${summary.join("\n")}`);
}

/** Saves the page at desktop (1280) and phone (360) widths, and checks nothing overflows at 360 px. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-360.png`), fullPage: true });
  const overflow = Number(await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"));
  assert.ok(overflow <= 1, `${name} scrolls sideways at 360 px (${overflow} px too wide)`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Checks a page: axe at both widths and screenshots. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await assertAccessible(page, name);
  await screenshots(page, name);
  await page.setViewportSize({ width: 360, height: 740 });
  await assertAccessible(page, `${name} at 360 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

export function assertNoProblems(problems: readonly string[], label: string): void {
  assert.deepEqual(problems, [], `console errors on ${label}:\n${problems.join("\n")}`);
}

/** Presses Tab until the focused element's text is `text` (keyboard-only navigation), then returns. */
export async function tabTo(page: Page, text: string, maxPresses = 80): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(`document.activeElement?.textContent?.trim() === ${JSON.stringify(text)}`)) return;
  }
  throw new Error(`could not reach “${text}” with Tab`);
}

/** The focused element has a visible focus indicator (an outline or a box shadow). */
export async function assertVisibleFocus(page: Page): Promise<void> {
  // A string, not a function: this runs in the browser, and the test's own types have no DOM.
  const visible = await page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el) return false;
    const style = getComputedStyle(el);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  })()`);
  assert.ok(visible, "the focused element shows where the focus is");
}
