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

test("the language switch to Spanish and Arabic (right to left) persists across reloads", async () => {
  const context = await browser.newContext({ locale: "en-GB" });
  const { page, problems } = await openPage(context);
  await page.goto(`${server.baseUrl}/`);
  await page.getByRole("heading", { level: 1, name: "Evaluate AI together" }).waitFor();
  assert.equal(await page.getAttribute("html", "lang"), "en");

  await page.getByLabel("Language").selectOption("es");
  await page.getByRole("heading", { level: 1, name: "Evaluar la IA juntas y juntos" }).waitFor();
  assert.equal(await page.getAttribute("html", "lang"), "es");
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Evaluar la IA juntas y juntos" }).waitFor();
  await checkPage(page, "home-es");

  await page.getByLabel("Idioma").selectOption("ar");
  await page.getByRole("heading", { level: 1, name: "لنقيّم الذكاء الاصطناعي معًا" }).waitFor();
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.equal(await page.getAttribute("html", "lang"), "ar");
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "لنقيّم الذكاء الاصطناعي معًا" }).waitFor();
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.equal(await page.evaluate("localStorage.getItem('counterpublic.language')"), "ar");
  await checkPage(page, "home-ar");
  assertNoProblems(problems, "language switching");
  await context.close();
});

test("form errors are inline, translated and announced: empty fields, text over the limit, a network error", async () => {
  const context = await browser.newContext({ locale: "es-ES" });
  const { page } = await openPage(context);
  await page.goto(`${server.baseUrl}/organise`);
  await page.getByRole("heading", { name: "Iniciar sesión" }).first().waitFor();
  await page.getByRole("button", { name: "Iniciar sesión" }).click();
  const email = page.getByLabel(/Correo electrónico/);
  await page.getByText("Este campo es obligatorio.").first().waitFor();
  assert.equal(await email.getAttribute("aria-invalid"), "true");
  const describedBy = (await email.getAttribute("aria-describedby")) ?? "";
  assert.equal(await page.locator(`#${describedBy.split(" ").pop()}`).innerText(), "Este campo es obligatorio.");
  await checkPage(page, "form-errors-es");

  // Over the limit: the new-evaluation form checks the slug pattern and length before sending.
  await page.getByRole("button", { name: "¿Sin cuenta? Crea una" }).click();
  await page.getByLabel(/Tu nombre/).fill("Ana");
  await email.fill(`ana-${Date.now()}@example.org`);
  await page.getByLabel(/Contraseña/).fill("correct horse battery");
  // A network error: the request fails before it reaches the server.
  await page.route("**/api/auth/sign-up/email", (route) => route.abort("failed"));
  const submit = page.getByRole("button", { name: "Crear una cuenta de organización" });
  await submit.click();
  await page.getByText("No se pudo contactar con el servidor. Revisa tu conexión e inténtalo de nuevo.").waitFor();
  assert.equal(await page.locator(".form-status").first().getAttribute("aria-live"), "assertive");
  await page.unroute("**/api/auth/sign-up/email");
  // Nothing is submitted twice: the button is disabled while the request is pending.
  let signUps = 0;
  await page.route("**/api/auth/sign-up/email", async (route) => {
    signUps += 1;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.continue();
  });
  await submit.click();
  await page.getByRole("button", { name: "Enviando…" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Enviando…" }).isDisabled(), true);
  await page.getByText("Sesión iniciada como Ana.").waitFor();
  assert.equal(signUps, 1);

  await page.getByRole("link", { name: "Crear una evaluación" }).click();
  await page.getByLabel(/^Propósito/).fill("x".repeat(4001));
  await page.getByRole("button", { name: "Crear la evaluación" }).click();
  await page.getByText("Tiene 4001 caracteres; el límite es 4000.").waitFor();
  await checkPage(page, "charter-errors-es");
  await context.close();
});
