import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IMPORT_FORMATS } from "../../connectors/importers/index.ts";
import { importUpload } from "./service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { organiserBeforeBody } from "../../platform/http/before-body.ts";
import { evaluationParams, UPLOAD_LIMIT_BYTES } from "../../contract/requests.ts";
import * as api from "../../contract/exports.ts";

export function importRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { services } = deps;
  return async (app) => {
    app.post(
      "/api/evaluations/:id/imports",
      {
        bodyLimit: UPLOAD_LIMIT_BYTES,
        // Refused before the body is read: only organisers may send up to 100 MiB.
        onRequest: organiserBeforeBody(deps),
        schema: { response: { 201: api.importSummary },
          tags: ["items"],
          summary: "Import a file's content: FastChat battles, the llmfao CSV, OpenAssistant trees, or (item, subject, response) rows as JSONL or CSV",
          params: evaluationParams,
          body: z.strictObject({ format: z.enum(IMPORT_FORMATS), content: z.string().min(1, "the file is empty"), fileName: z.string().max(300).optional() }),
        },
      },
      async (request, reply) =>
        reply.status(201).send(await importUpload(services, request.actor, request.params.id, request.body.format, request.body.content, request.body.fileName)),
    );
  };
}
