import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type FastifyPluginAsyncZod, type ZodTypeProvider } from "fastify-type-provider-zod";
import { existsSync } from "node:fs";
import type { Services } from "../context.ts";
import type { Actor } from "../guards.ts";
import { actorOf, mountAuthRoutes, type Auth } from "./auth.ts";
import type { RouteDeps } from "./deps.ts";
import { installProblemHandlers } from "./problem.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
  }
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

/** The HTTP server: security headers, rate limits, problem+json, sessions, OpenAPI, then the given routes and the web app. */
export async function buildHttpServer(options: ServerOptions, routes: (deps: RouteDeps) => FastifyPluginAsyncZod[]): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 5 * 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const hasWeb = Boolean(options.webDir && existsSync(options.webDir));
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
  for (const plugin of routes(deps)) await app.register(plugin);
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  if (hasWeb && options.webDir) {
    await app.register(fastifyStatic, { root: options.webDir, wildcard: false, maxAge: "1h" });
  }
  return app;
}
