import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { exportEvaluation, exportLog, myExports, recordExportNotice } from "./service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { evaluationParams, exportBody, uuid } from "../../contract/requests.ts";
import * as api from "../../contract/exports.ts";
import { presentExportRecord } from "./presenter.ts";

const noticeBody = z.strictObject({
  participant: z.string().trim().min(1, "name the contributor's pseudonym in this export, or all").max(200),
  note: z.string().max(4000).optional(),
});

export function exportRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post("/api/evaluations/:id/exports", { schema: { response: { 201: api.exportResult }, tags: ["exports"], params: evaluationParams, body: exportBody } }, async (request, reply) => {
      const result = await exportEvaluation(services, { kind: "actor", actor: request.actor }, request.params.id, request.body);
      return reply.status(201).send({ ...result, record: presentExportRecord(result.record) });
    });

    app.get("/api/evaluations/:id/exports", { schema: { response: { 200: api.exportList }, tags: ["exports"], params: evaluationParams } }, async (request) => ({
      exports: await exportLog(services, request.actor, request.params.id),
    }));

    app.get("/api/evaluations/:id/me/exports", { schema: { response: { 200: api.myExports }, tags: ["exports"], params: evaluationParams } }, async (request) => ({
      exports: await myExports(services, request.actor, request.params.id),
    }));

    app.post(
      "/api/evaluations/:id/exports/:exportId/notices",
      { schema: { response: { 201: api.exportNotice }, tags: ["exports"], params: evaluationParams.extend({ exportId: uuid }), body: noticeBody } },
      async (request, reply) => reply.status(201).send({ notice: await recordExportNotice(services, request.actor, request.params.id, request.params.exportId, request.body) }),
    );

  };
}
