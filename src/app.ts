import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { existsSync } from "node:fs";
import path from "node:path";
import type { Actor, Services } from "./platform/context.ts";
import { actorOf, mountAuthRoutes, type Auth } from "./platform/http/auth.ts";
import { installProblemHandlers } from "./platform/http/problem.ts";
import { deliberationRoutes } from "./modules/deliberation/routes.ts";
import { evaluationRoutes } from "./modules/evaluations/routes.ts";
import { exportRoutes } from "./modules/exports/routes.ts";
import { participationRoutes } from "./modules/participation/routes.ts";
import { powerRoutes } from "./modules/labour/routes.ts";
import { importRoutes } from "./modules/imports/routes.ts";
import { liveRoutes } from "./modules/judging/live-routes.ts";
import { resultsRoutes } from "./modules/results/routes.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
  }
}

/** What `serve` logs, and `/` answers, when the web app has not been built. */
export const WEB_APP_MISSING = "the web app is not built (no web-dist/index.html): run `npm run build:web`, then restart; the API works meanwhile";

function webAppMissingPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Counterpublic: web app not built</title></head><body><h1>Counterpublic is running, but its web app is not built</h1><p>In the Counterpublic folder, run <code>npm run build:web</code> (or <code>npm ci</code>, which builds everything), then restart the server.</p><p>The API answers meanwhile: <a href="/api/openapi.json">/api/openapi.json</a>.</p></body></html>`;
}

export interface ServerOptions {
  services: Services;
  auth: Auth;
  /** requests per minute per client address */
  rateLimit?: number;
  /** the built web app, served at / when present */
  webDir?: string;
  logger?: boolean;
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 5 * 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const hasWeb = Boolean(options.webDir && existsSync(path.join(options.webDir, "index.html")));
  // The web app routes in the browser: a page URL that is not a file gets index.html.
  installProblemHandlers(app, hasWeb ? { spaIndex: "index.html" } : {});
  await app.register(helmet, {
    // HSTS and upgrade-insecure-requests belong to the TLS proxy in front; they would break plain-HTTP self-hosting.
    hsts: false,
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", "data:"], connectSrc: ["'self'"], objectSrc: ["'none'"], frameAncestors: ["'none'"], upgradeInsecureRequests: null },
    },
  });
  await app.register(rateLimit, { max: options.rateLimit ?? 600, timeWindow: "1 minute" });
  await app.register(swagger, {
    openapi: { info: { title: "Counterpublic API", version: "0.1.0", description: "Democratic evaluation of AI systems" } },
    transform: jsonSchemaTransform,
  });
  app.decorateRequest("actor", null as unknown as Actor);
  app.addHook("preHandler", async (request) => {
    if (request.url.startsWith("/api/") && !request.url.startsWith("/api/auth/")) request.actor = await actorOf(options.auth, request);
  });
  mountAuthRoutes(app, options.auth);
  const deps = { services: options.services, auth: options.auth };
  await app.register(evaluationRoutes(deps));
  await app.register(participationRoutes(deps));
  await app.register(exportRoutes(deps));
  await app.register(resultsRoutes(deps));
  await app.register(liveRoutes(deps));
  await app.register(importRoutes(deps));
  await app.register(deliberationRoutes(deps));
  await app.register(powerRoutes(deps));
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  if (hasWeb && options.webDir) {
    await app.register(fastifyStatic, { root: options.webDir, wildcard: false, maxAge: "1h" });
  } else if (options.webDir) {
    app.get("/", { schema: { hide: true } }, async (_request, reply) => reply.status(503).type("text/html").send(webAppMissingPage()));
  }
  return app;
}
