/** The evaluation card: the published record, as JSON or Markdown. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { evaluationParams } from "../../contract/requests.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { buildCard, cardMarkdown } from "./service.ts";
import * as api from "../../contract/card.ts";

const cardQuery = z.strictObject({ format: z.enum(["json", "markdown"]).default("json") });

export function cardRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/api/evaluations/:id/card", { schema: { response: { 200: api.cardResponse }, tags: ["card"], params: evaluationParams, querystring: cardQuery } }, async (request, reply) => {
      if (request.query.format === "markdown") return reply.type("text/markdown; charset=utf-8").send(await cardMarkdown(services, request.actor, request.params.id));
      return buildCard(services, request.actor, request.params.id);
    });
  };
}
