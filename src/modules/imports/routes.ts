import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { IMPORT_FORMATS } from "../../connectors/importers/index.ts";
import { importUpload } from "./service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { organiserBeforeBody } from "../../platform/http/before-body.ts";
import { evaluationParams, UPLOAD_LIMIT_BYTES } from "../../contract/requests.ts";
import * as api from "../../contract/exports.ts";

const column = z.string().trim().min(1).max(200);

export function importRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { services } = deps;
  return async (app) => {
    app.post(
      "/api/evaluations/:id/imports",
      {
        bodyLimit: UPLOAD_LIMIT_BYTES,
        // Refused before the body is read: only organisers may send up to 100 MiB.
        onRequest: organiserBeforeBody(deps),
        schema: { response: { 200: api.importSummary, 201: api.importSummary },
          tags: ["items"],
          summary: "Import a file's content: FastChat battles, the llmfao CSV, OpenAssistant trees, or (item, subject, response) rows as JSONL or CSV",
          params: evaluationParams,
          body: z.strictObject({
            format: z.enum(IMPORT_FORMATS),
            content: z.string().min(1, "the file is empty"),
            fileName: z.string().max(300).optional(),
            dryRun: z.boolean().optional().describe("answer what the upload would do (200, with its preview) and change nothing"),
            columns: z
              .strictObject({ item: column, subject: column, response: column })
              .partial()
              .optional()
              .describe("rows of outputs: the file's column that holds the item (its title, external id or id), the subject's name, and the response"),
          }),
        },
      },
      async (request, reply) => {
        const { format, content, fileName, dryRun, columns } = request.body;
        const result = await importUpload(services, request.actor, request.params.id, format, content, { source: fileName, dryRun, columns });
        return reply.status(dryRun ? 200 : 201).send(result);
      },
    );
  };
}
