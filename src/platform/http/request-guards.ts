/**
 * What every request must satisfy before any route sees it: no NUL characters (PostgreSQL refuses them in
 * text, so they would surface as a 500), state-changing requests only from the server's own origin, and a
 * per-account budget on top of the per-address rate limit.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../../core/errors.ts";
import { nulFieldIn } from "../../core/nul-text.ts";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function urlHasNul(url: string): boolean {
  return url.toLowerCase().includes("%00") || url.includes("\u0000");
}

/** Origins as configured ("http://127.0.0.1:*" allows any port) turned into one test. */
export function originMatcher(allowed: readonly string[]): (origin: string) => boolean {
  const patterns = allowed.map((a) => new RegExp(`^${a.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`));
  return (origin) => patterns.some((p) => p.test(origin));
}

export interface RequestGuardOptions {
  /** origins allowed to send state-changing requests; a request without an Origin header (not a browser) passes */
  allowedOrigins: readonly string[];
}

export function installRequestGuards(app: FastifyInstance, options: RequestGuardOptions): void {
  const originAllowed = originMatcher(options.allowedOrigins);
  app.addHook("onRequest", async (request) => {
    if (urlHasNul(request.url)) throw new AppError("validation_failed", "the address contains a NUL character", "url");
    if (STATE_CHANGING.has(request.method) && request.url.startsWith("/api/")) assertSameOrigin(request, originAllowed);
  });
  app.addHook("preValidation", async (request) => {
    const field = nulFieldIn(request.body);
    if (field) throw new AppError("validation_failed", `${field} contains a NUL character, which text may not hold`, field);
  });
}

function assertSameOrigin(request: FastifyRequest, allowed: (origin: string) => boolean): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (!allowed(origin)) throw new AppError("forbidden", `requests that change data must come from this server's own pages, not ${origin}`, "origin");
}

/**
 * Requests per minute per signed-in account, in this process: behind one proxy address many people share
 * the address limit, and one person with many addresses still has one account. A fixed one-minute window
 * is enough for a budget (it is not a correctness rule, so one instance's memory may hold it).
 */
export function accountBudget(perMinute: number, now: () => number = Date.now): (userId: string) => void {
  const windows = new Map<string, { start: number; count: number }>();
  return (userId) => {
    const t = now();
    const current = windows.get(userId);
    if (!current || t - current.start >= 60_000) {
      if (windows.size > 100_000) for (const [key, w] of windows) if (t - w.start >= 60_000) windows.delete(key);
      windows.set(userId, { start: t, count: 1 });
      return;
    }
    current.count += 1;
    if (current.count > perMinute) throw new AppError("rate_limited", `this account made more than ${perMinute} requests in a minute; wait a moment`);
  };
}
