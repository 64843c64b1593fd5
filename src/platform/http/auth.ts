import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { fromNodeHeaders } from "better-auth/node";
import { anonymous } from "better-auth/plugins";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Pool } from "../db/pool.ts";
import { linkAccounts } from "../identity.ts";
import type { Actor } from "../guards.ts";
import { cachedActor, forgetSession, forgetSessionToken, forgetUser, sessionTokenOf } from "../session-cache.ts";

export interface AuthOptions {
  secret: string;
  baseURL: string;
  trustedOrigins?: string[];
  /** sign-in and sign-up attempts per minute per client address; false turns the limiter off (tests) */
  attemptsPerMinute?: number | false;
}

const ANONYMOUS_EMAIL_DOMAIN = "participants.counterpublic.invalid";

/** better-auth reads the client address from this header, which the server sets from Fastify's request.ip. */
const CLIENT_IP_HEADER = "x-counterpublic-client-ip";

export function createAuth(pool: Pool, options: AuthOptions) {
  return betterAuth({
    database: pool,
    secret: options.secret,
    baseURL: options.baseURL,
    trustedOrigins: options.trustedOrigins ?? [],
    emailAndPassword: { enabled: true, minPasswordLength: 10 },
    plugins: [
      anonymous({
        emailDomainName: ANONYMOUS_EMAIL_DOMAIN,
        // Signing in or up from an anonymous session keeps the participant records and roles (then better-auth deletes the anonymous user).
        onLinkAccount: async ({ anonymousUser, newUser }) => {
          const fullAccount = newUser.user.isAnonymous !== true && !newUser.user.email.endsWith(`@${ANONYMOUS_EMAIL_DOMAIN}`);
          await linkAccounts(pool, anonymousUser.user.id, newUser.user.id, fullAccount);
          forgetUser(anonymousUser.user.id);
        },
      }),
    ],
    telemetry: { enabled: false },
    logger: { disabled: true },
    rateLimit: authRateLimit(options.attemptsPerMinute ?? 10),
    advanced: { useSecureCookies: options.baseURL.startsWith("https://"), ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
  });
}

/** Password guessing and account creation are limited per address, in this process's memory. */
function authRateLimit(perMinute: number | false) {
  if (perMinute === false) return { enabled: false };
  return {
    enabled: true,
    window: 60,
    max: perMinute * 10,
    customRules: { "/sign-in/email": { window: 60, max: perMinute }, "/sign-up/email": { window: 60, max: perMinute } },
  };
}

export type Auth = ReturnType<typeof createAuth>;

export async function actorOf(auth: Auth, request: FastifyRequest): Promise<Actor> {
  // Cached briefly per session cookie: see src/platform/session-cache.ts for what that means for revocation.
  return cachedActor(sessionTokenOf(request.headers.cookie), async () => {
    const found = await auth.api.getSession({ headers: fromNodeHeaders(request.headers) });
    if (!found) return { actor: { userId: null, isAnonymous: true } };
    const user = found.user as { id: string; isAnonymous?: boolean | null };
    return { actor: { userId: user.id, isAnonymous: user.isAnonymous === true }, session: { token: found.session.token, expiresAt: new Date(found.session.expiresAt) } };
  });
}

/**
 * Creates an anonymous participant account when the caller has none; the session cookie goes on `reply`.
 * `created` says this call made the account (so a refusal that follows can take it back: discardNewAccount).
 */
export async function ensureAccount(auth: Auth, request: FastifyRequest, reply: FastifyReply): Promise<Actor & { created: boolean }> {
  const actor = await actorOf(auth, request);
  if (actor.userId) return { ...actor, created: false };
  const { headers, response } = await auth.api.signInAnonymous({ headers: fromNodeHeaders(request.headers), returnHeaders: true });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) reply.header("set-cookie", cookies);
  return { userId: response?.user.id ?? null, isAnonymous: true, created: true };
}

/** Takes back an anonymous account this request created (its sessions go with it) and its cookie. */
export async function discardNewAccount(pool: Pool, reply: FastifyReply, userId: string): Promise<void> {
  reply.removeHeader("set-cookie");
  await pool.query(`DELETE FROM "user" WHERE id = $1 AND "isAnonymous" IS TRUE`, [userId]);
  forgetUser(userId);
}

/**
 * The one answer to a refused sign-up, whatever the reason (e-mail taken, invalid e-mail, short password,
 * missing name): no account enumeration through sign-up's refusals. The web app checks the password
 * length and the fields itself before sending, so people still learn what to fix.
 */
export const SIGN_UP_REFUSED = {
  type: "https://counterpublic.org/problems/sign_up_refused",
  title: "sign up refused",
  status: 400,
  code: "sign_up_refused",
  detail: "the account could not be created: give a name, a valid e-mail and a password of at least 10 characters; if you already have an account, sign in",
  field: "body",
} as const;

/** better-auth routes that end sessions other than the caller's own (a user's sessions, or their account). */
const ENDS_USER_SESSIONS = ["/revoke-sessions", "/revoke-other-sessions", "/change-password", "/delete-user"];

/**
 * Forgets, in this process's session cache, what a better-auth route is about to end: the caller's session at
 * sign-out (at once: a refused sign-out only costs a look-up), and, once the route succeeds (the returned
 * function), the session a revoke-session names or every session of the caller.
 */
async function forgetEndingSessions(auth: Auth, request: FastifyRequest, pathname: string): Promise<() => void> {
  const route = pathname.slice(pathname.indexOf("/api/auth") + "/api/auth".length);
  if (route === "/sign-out") forgetSession(sessionTokenOf(request.headers.cookie));
  if (route === "/revoke-session") {
    const token = (request.body as { token?: unknown } | undefined)?.token;
    return () => {
      if (typeof token === "string") forgetSessionToken(token);
    };
  }
  if (!ENDS_USER_SESSIONS.some((ending) => route === ending || route.startsWith(`${ending}/`))) return () => undefined;
  const { userId } = await actorOf(auth, request);
  return () => {
    if (userId) forgetUser(userId);
  };
}

/** Mounts better-auth's own routes (sign-up, sign-in, sign-out, session) under /api/auth. */
export function mountAuthRoutes(app: FastifyInstance, auth: Auth): void {
  app.route({
    method: ["GET", "POST"],
    url: "/api/auth/*",
    schema: { hide: true },
    async handler(request, reply) {
      const url = new URL(request.url, `http://${request.headers.host ?? "localhost"}`);
      const ending = await forgetEndingSessions(auth, request, url.pathname);
      const headers = fromNodeHeaders(request.headers);
      headers.set(CLIENT_IP_HEADER, request.ip);
      const req = new Request(url.toString(), {
        method: request.method,
        headers,
        ...(request.body ? { body: JSON.stringify(request.body) } : {}),
      });
      const response = await auth.handler(req);
      if (url.pathname.endsWith("/sign-up/email") && response.status >= 400 && response.status < 500 && response.status !== 429) {
        // better-auth says USER_ALREADY_EXISTS (422) for a taken e-mail: that would tell anyone which
        // addresses have accounts. Every sign-up refusal gets the same status and body.
        return reply.status(400).type("application/problem+json").send({ ...SIGN_UP_REFUSED, instance: `urn:counterpublic:request:${request.id}` });
      }
      if (response.ok) ending();
      reply.status(response.status);
      response.headers.forEach((value, key) => {
        if (key !== "set-cookie") reply.header(key, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) reply.header("set-cookie", cookies);
      return reply.send(response.body ? await response.text() : null);
    },
  });
}

/**
 * The full (non-anonymous) account with this email, created through better-auth's sign-up when there is none.
 * A new account gets a random password, returned once so the operator can hand it over.
 */
export async function findOrCreateAccount(auth: Auth, input: { email: string; name: string }): Promise<{ userId: string; isAnonymous: boolean; password: string | null }> {
  const context = await auth.$context;
  const found = await context.internalAdapter.findUserByEmail(input.email.toLowerCase());
  if (found) return { userId: found.user.id, isAnonymous: (found.user as { isAnonymous?: boolean | null }).isAnonymous === true, password: null };
  const password = randomBytes(15).toString("base64url");
  const { user } = await auth.api.signUpEmail({ body: { email: input.email, name: input.name, password } });
  return { userId: user.id, isAnonymous: false, password };
}
