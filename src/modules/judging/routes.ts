/** Judging: assignments, judgments, abstentions and contests, revisions, and my own judgments. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { assignmentBody, evaluationParams, itemJudgmentBody, judgmentBody, uuid } from "../../contract/requests.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { myJudgments } from "./presenter.ts";
import { castJudgment, judgeItem, nextAssignment, reviseJudgment } from "./service.ts";
import * as api from "../../contract/judging.ts";

export function judgingRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/api/evaluations/:id/me/judgments", { schema: { response: { 200: api.myJudgments }, tags: ["judging"], summary: "My judgments, every version, with items and revealed subjects", params: evaluationParams } }, async (request) =>
      myJudgments(services, request.actor, request.params.id),
    );

    app.post("/api/evaluations/:id/assignments", { schema: { response: { 201: api.assignment }, tags: ["judging"], params: evaluationParams, body: assignmentBody } }, async (request, reply) =>
      reply.status(201).send(await nextAssignment(services, request.actor, request.params.id, request.body.mode)),
    );

    app.post(
      "/api/evaluations/:id/assignments/:token/judgment",
      { schema: { response: { 201: api.castResult }, tags: ["judging"], params: evaluationParams.extend({ token: z.string().min(1).max(200) }), body: judgmentBody } },
      async (request, reply) =>
        reply.status(201).send(await castJudgment(services, request.actor, request.params.id, request.params.token, request.body.judgment, request.body.rationale)),
    );

    app.post(
      "/api/evaluations/:id/items/:itemId/judgments",
      { schema: { response: { 201: api.judgmentEnvelope }, tags: ["judging"], summary: "Abstain on or contest an item", params: evaluationParams.extend({ itemId: uuid }), body: itemJudgmentBody } },
      async (request, reply) =>
        reply.status(201).send({ judgment: await judgeItem(services, request.actor, request.params.id, request.params.itemId, request.body.judgment, request.body.rationale) }),
    );

    app.post(
      "/api/evaluations/:id/judgments/:judgmentId/revisions",
      { schema: { response: { 201: api.judgmentEnvelope }, tags: ["judging"], params: evaluationParams.extend({ judgmentId: uuid }), body: judgmentBody } },
      async (request, reply) =>
        reply.status(201).send({ judgment: await reviseJudgment(services, request.actor, request.params.id, request.params.judgmentId, request.body.judgment, request.body.rationale) }),
    );
  };
}
