import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  addItem,
  addResponse,
  addSubject,
  changeState,
  createEvaluation,
  createInvitation,
  getEvaluation,
  listEvaluationItems,
  listEvaluations,
  listEvaluationSubjects,
} from "./service.ts";
import { evaluationProgress } from "./progress-service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { createEvaluationBody, evaluationParams, invitationBody, itemBody, responseBody, stateBody, subjectBody } from "../../contract/requests.ts";

export function evaluationRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/api/evaluations", { schema: { tags: ["evaluations"], summary: "Evaluations you can see, with their counts" } }, async (request) => ({
      evaluations: (await listEvaluations(services, request.actor)).map(({ counts, ...e }) => ({ ...e, counts })),
    }));

    app.post("/api/evaluations", { schema: { tags: ["evaluations"], body: createEvaluationBody } }, async (request, reply) => {
      const created = await createEvaluation(services, request.actor, request.body);
      return reply.status(201).send(created);
    });

    app.get("/api/evaluations/:id", { schema: { tags: ["evaluations"], params: evaluationParams } }, async (request) => {
      const { evaluation, role, charters } = await getEvaluation(services, request.actor, request.params.id);
      const current = charters[charters.length - 1];
      return { evaluation, role, charter: current ?? null, charterVersions: charters.map((c) => ({ version: c.version, contentHash: c.content_hash, createdAt: c.created_at })) };
    });

    app.patch("/api/evaluations/:id", { schema: { tags: ["evaluations"], params: evaluationParams, body: stateBody } }, async (request) => ({
      evaluation: await changeState(services, request.actor, request.params.id, request.body),
    }));

    app.get("/api/evaluations/:id/subjects", { schema: { tags: ["subjects"], params: evaluationParams } }, async (request) => ({
      subjects: await listEvaluationSubjects(services, request.actor, request.params.id),
    }));

    app.post("/api/evaluations/:id/subjects", { schema: { tags: ["subjects"], params: evaluationParams, body: subjectBody } }, async (request, reply) =>
      reply.status(201).send({ subject: await addSubject(services, request.actor, request.params.id, request.body) }),
    );

    app.get("/api/evaluations/:id/items", { schema: { tags: ["items"], params: evaluationParams } }, async (request) => ({
      items: await listEvaluationItems(services, request.actor, request.params.id),
    }));

    app.post("/api/evaluations/:id/items", { schema: { tags: ["items"], params: evaluationParams, body: itemBody } }, async (request, reply) =>
      reply.status(201).send({ item: await addItem(services, request.actor, request.params.id, request.body) }),
    );

    app.post("/api/evaluations/:id/responses", { schema: { tags: ["items"], params: evaluationParams, body: responseBody } }, async (request, reply) =>
      reply.status(201).send({ response: await addResponse(services, request.actor, request.params.id, request.body) }),
    );

    app.post(
      "/api/evaluations/:id/invitations",
      { schema: { tags: ["participation"], params: evaluationParams, body: invitationBody } },
      async (request, reply) => {
        const { role, maxUses, expiresAt } = request.body;
        const invitation = await createInvitation(services, request.actor, request.params.id, { role, maxUses: maxUses ?? null, expiresAt: expiresAt ? new Date(expiresAt) : null });
        return reply.status(201).send({ invitation, path: `/join/${invitation.token}` });
      },
    );

    app.get("/api/evaluations/:id/progress", { schema: { tags: ["evaluations"], summary: "Participation, pair coverage, abstentions and contests (organisers and observers)", params: evaluationParams } }, async (request) =>
      evaluationProgress(services, request.actor, request.params.id),
    );

    app.get("/healthz", { schema: { hide: true, response: { 200: z.object({ ok: z.boolean() }) } } }, async () => {
      await services.pool.query("SELECT 1");
      return { ok: true };
    });
  };
}
