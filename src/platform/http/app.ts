import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type FastifyPluginAsyncZod, type ZodTypeProvider } from "fastify-type-provider-zod";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Services } from "../context.ts";
import type { Actor } from "../guards.ts";
import { actorOf, mountAuthRoutes, type Auth } from "./auth.ts";
import type { RouteDeps } from "./deps.ts";
import { clientErrorResponse, frameworkErrorProblem, installProblemHandlers } from "./problem.ts";
import { accountBudget, installRequestGuards } from "./request-guards.ts";
import { installSecurityHeaders } from "./security-headers.ts";
import { randomUUID } from "node:crypto";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
  }
}

export interface ServerOptions {
  services: Services;
  auth: Auth;
  /** requests per minute per client address (the proxy's client address when trustProxy is set) */
  rateLimit?: number;
  /** requests per minute per signed-in account; default the address limit */
  accountRateLimit?: number;
  /** trust X-Forwarded-For from this many proxies (or true for any), so limits apply per real client */
  trustProxy?: boolean | string;
  /** longest time a request may take before the server answers 503; default 30 s */
  requestTimeoutMs?: number;
  /** the built web app, served at / when present */
  webDir?: string;
  /** pino options (structured request logs with the request id), or false */
  logger?: boolean | { level: string };
}

/** What `serve` logs, and `/` answers, when the web app has not been built. */
export const WEB_APP_MISSING = "the web app is not built (no web-dist/index.html): run `npm run build:web`, then restart; the API works meanwhile";

function webAppMissingPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Counterpublic: web app not built</title></head><body><h1>Counterpublic is running, but its web app is not built</h1><p>In the Counterpublic folder, run <code>npm run build:web</code> (or <code>npm ci</code>, which builds everything), then restart the server.</p><p>The API answers meanwhile: <a href="/api/openapi.json">/api/openapi.json</a>.</p></body></html>`;
}

/** The HTTP server: security headers, rate limits, problem+json, sessions, OpenAPI, then the given routes and the web app. */
export async function buildHttpServer(options: ServerOptions, routes: (deps: RouteDeps) => FastifyPluginAsyncZod[]): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: trustProxyOption(options.trustProxy),
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    genReqId: () => randomUUID(),
    frameworkErrors: (error, request, reply) => {
      const body = frameworkErrorProblem(error, String(request.id));
      void (reply as FastifyReply).status(body.status).type("application/problem+json").send(body);
    },
    clientErrorHandler: (error, socket) => {
      if (socket.writable) socket.end(clientErrorResponse(error));
      else socket.destroy(error);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // Only JSON (and the upload routes' own parsers) may carry a body: no cross-site form or text/plain posts.
  app.removeContentTypeParser("text/plain");
  installRequestGuards(app, { allowedOrigins: allowedOriginsOf(options.auth) });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const hasWeb = Boolean(options.webDir && existsSync(path.join(options.webDir, "index.html")));
  // The web app routes in the browser: a page URL that is not a file gets index.html.
  installProblemHandlers(app, hasWeb ? { spaIndex: "index.html" } : {});
  installSecurityHeaders(app, {
    // HSTS and upgrade-insecure-requests belong to the TLS proxy in front; they would break plain-HTTP self-hosting.
    hsts: false,
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", "data:"], connectSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"], upgradeInsecureRequests: null },
    },
  });
  await app.register(rateLimit, { max: options.rateLimit ?? 600, timeWindow: "1 minute", allowList: (request) => request.url === "/healthz" });
  const spendAccountBudget = accountBudget(options.accountRateLimit ?? options.rateLimit ?? 600);
  await app.register(swagger, {
    openapi: { info: { title: "Counterpublic API", version: "0.1.0", description: "Democratic evaluation of AI systems" } },
    transform: jsonSchemaTransform,
  });
  app.decorateRequest("actor", null as unknown as Actor);
  app.addHook("preHandler", async (request) => {
    if (request.url.startsWith("/api/") && !request.url.startsWith("/api/auth/")) {
      request.actor = await actorOf(options.auth, request);
      if (request.actor.userId) spendAccountBudget(request.actor.userId);
    }
  });
  mountAuthRoutes(app, options.auth);
  const deps = { services: options.services, auth: options.auth };
  for (const plugin of routes(deps)) await app.register(plugin);
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  if (hasWeb && options.webDir) {
    await app.register(fastifyStatic, { root: options.webDir, wildcard: false, maxAge: "1h" });
    // Browsers ask for /favicon.ico on every page: answered, not a 404 in every console.
    app.get("/favicon.ico", { schema: { hide: true } }, async (_request, reply) => reply.type("image/x-icon").header("cache-control", "public, max-age=86400").send(FAVICON));
  } else if (options.webDir) {
    app.get("/", { schema: { hide: true } }, async (_request, reply) => reply.status(503).type("text/html").send(webAppMissingPage()));
  }
  return app;
}

/** A 32 × 32 icon (a ring, the C of Counterpublic), as an ICO holding one PNG. */
const FAVICON = Buffer.from(
  "AAABAAEAICAAAAEAIACuAAAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAgAAAAIAgGAAAAc3p69AAAAHVJREFUeNrtl8ENACAIA13EldzLqXUBMahUqqGJ77sPWFJ6KbnUpnkuUIjMKfxIwgq+JWENX5JAwVUSaPhU4hZclHheYBS1gAVMikoCBTcX2E0IhMA/Au5jCFtE7qs4fkOKQkJRyShKKUUtpzhMKE4ziuMUnQ6I6L+znnq37wAAAABJRU5ErkJggg==",
  "base64",
);

/** The server's own origins, as better-auth is told them (its baseURL and trusted origins). */
function allowedOriginsOf(auth: Auth): string[] {
  const { baseURL, trustedOrigins } = auth.options as { baseURL?: string; trustedOrigins?: string[] };
  const origins = Array.isArray(trustedOrigins) ? [...trustedOrigins] : [];
  if (baseURL) origins.push(new URL(baseURL).origin);
  return origins;
}

/** "true" trusts any proxy, a number the nearest N hops, anything else a comma-separated list of addresses or subnets. */
function trustProxyOption(value: boolean | string | undefined): boolean | string | ((address: string, hop: number) => boolean) {
  if (value === undefined || value === false || value === "" || value === "false" || value === "0") return false;
  if (value === true || value === "true") return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value;
}
