import { betterAuth } from "better-auth";
import { fromNodeHeaders } from "better-auth/node";
import { anonymous } from "better-auth/plugins";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Pool } from "../db/pool.ts";
import type { Actor } from "../guards.ts";
import { cachedActor, forgetSession, sessionTokenOf } from "../session-cache.ts";

export interface AuthOptions {
  secret: string;
  baseURL: string;
  trustedOrigins?: string[];
}

export function createAuth(pool: Pool, options: AuthOptions) {
  return betterAuth({
    database: pool,
    secret: options.secret,
    baseURL: options.baseURL,
    trustedOrigins: options.trustedOrigins ?? [],
    emailAndPassword: { enabled: true, minPasswordLength: 10 },
    plugins: [anonymous({ emailDomainName: "participants.counterpublic.invalid" })],
    advanced: { useSecureCookies: options.baseURL.startsWith("https://") },
    telemetry: { enabled: false },
    logger: { disabled: true },
    rateLimit: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;

export async function actorOf(auth: Auth, request: FastifyRequest): Promise<Actor> {
  // Cached for up to 2 s per session token: see src/platform/session-cache.ts for what that means for revocation.
  return cachedActor(sessionTokenOf(request.headers.cookie), async () => {
    const session = await auth.api.getSession({ headers: fromNodeHeaders(request.headers) });
    if (!session) return { userId: null, isAnonymous: true };
    const user = session.user as { id: string; isAnonymous?: boolean | null };
    return { userId: user.id, isAnonymous: user.isAnonymous === true };
  });
}

/** Creates an anonymous participant account when the caller has none; the session cookie goes on `reply`. */
export async function ensureAccount(auth: Auth, request: FastifyRequest, reply: FastifyReply): Promise<Actor> {
  const actor = await actorOf(auth, request);
  if (actor.userId) return actor;
  const { headers, response } = await auth.api.signInAnonymous({ headers: fromNodeHeaders(request.headers), returnHeaders: true });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) reply.header("set-cookie", cookies);
  return { userId: response?.user.id ?? null, isAnonymous: true };
}

/** Mounts better-auth's own routes (sign-up, sign-in, sign-out, session) under /api/auth. */
export function mountAuthRoutes(app: FastifyInstance, auth: Auth): void {
  app.route({
    method: ["GET", "POST"],
    url: "/api/auth/*",
    schema: { hide: true },
    async handler(request, reply) {
      const url = new URL(request.url, `http://${request.headers.host ?? "localhost"}`);
      if (url.pathname.endsWith("/sign-out")) forgetSession(sessionTokenOf(request.headers.cookie));
      const req = new Request(url.toString(), {
        method: request.method,
        headers: fromNodeHeaders(request.headers),
        ...(request.body ? { body: JSON.stringify(request.body) } : {}),
      });
      const response = await auth.handler(req);
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
