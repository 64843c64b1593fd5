import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { exportEvaluation } from "./service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { evaluationParams, exportBody } from "../../contract/requests.ts";

export function exportRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post("/api/evaluations/:id/exports", { schema: { tags: ["exports"], params: evaluationParams, body: exportBody } }, async (request, reply) => {
      const result = await exportEvaluation(services, { kind: "actor", actor: request.actor }, request.params.id, request.body);
      return reply.status(201).send(result);
    });
  };
}
