import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../core/errors.ts";
import { prepareLiveBattle, runLiveBattle, setEndpoint, type LiveEvent } from "./live-service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { evaluationParams, uuid } from "../../contract/requests.ts";
import * as api from "../../contract/judging.ts";

export function liveRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      "/api/evaluations/:id/subjects/:subjectId/endpoint",
      {
        schema: { response: { 200: api.endpointEnvelope },
          tags: ["subjects"],
          summary: "Connect a subject to an OpenAI-compatible endpoint or a local GGUF file (the key is kept server-side; the answer is redacted)",
          params: evaluationParams.extend({ subjectId: uuid }),
          body: z.record(z.string(), z.unknown()),
        },
      },
      async (request) => ({ endpoint: await setEndpoint(services, request.actor, request.params.id, request.params.subjectId, request.body) }),
    );

    app.post(
      "/api/evaluations/:id/live-battles",
      {
        schema: {
          tags: ["judging"],
          summary: "Your own prompt, answered live by two anonymous subjects: a text/event-stream of `delta`, `retry` and finally `ready` (the assignment to judge)",
          params: evaluationParams,
          body: z.strictObject({ prompt: z.string().trim().min(1, "write a prompt") }),
        },
      },
      async (request, reply) => {
        const battle = await prepareLiveBattle(services, request.actor, request.params.id, request.body.prompt);
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" });
        const send = <E extends keyof typeof api.liveBattleEvents>(event: E, data: z.input<(typeof api.liveBattleEvents)[E]>) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        try {
          const assignment = await runLiveBattle(services, battle, (event: LiveEvent) => {
            if (event.kind === "delta") send("delta", { side: event.side, text: event.text });
            else if (event.kind === "retry") send("retry", { reason: event.reason });
          });
          send("ready", assignment);
        } catch (error) {
          const known = error instanceof AppError;
          if (!known) request.log.error({ err: error }, "live battle failed");
          send("error", { code: known ? error.code : "internal_error", detail: known ? error.message : "the live battle failed; nothing was stored" });
        } finally {
          raw.end();
        }
      },
    );
  };
}
