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
  createPersonalInvitations,
  listEvaluationInvitations,
  listEvaluationAnswers,
  revokeEvaluationInvitation,
} from "./service.ts";
import { evaluationProgress } from "./progress-service.ts";
import { readAuditLog } from "./audit.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { auditLogQuery, createEvaluationBody, evaluationParams, invitationBatchBody, invitationBody, itemBody, responseBody, stateBody, subjectBody } from "../../contract/requests.ts";
import * as api from "../../contract/evaluations.ts";
import { presentCharter, presentEvaluation, presentInvitation, presentItem, presentProgressCounts, presentResponse, presentSubject } from "./presenter.ts";

export function evaluationRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/evaluations/:id/audit-log",
      { schema: { response: { 200: api.auditLog }, tags: ["evaluations"], summary: "What organisers did to this evaluation, newest first (organisers and observers)", params: evaluationParams, querystring: auditLogQuery } },
      async (request) => {
        const { entries, nextBefore } = await readAuditLog(services, request.actor, request.params.id, request.query);
        return {
          entries: entries.map((e) => ({ id: e.id, actor: { userId: e.actor_user_id, name: e.actor_name }, action: e.action, target: e.target, detail: e.detail, at: e.at })),
          nextBefore,
        };
      },
    );
    app.get("/api/evaluations", { schema: { response: { 200: api.evaluationList }, tags: ["evaluations"], summary: "Evaluations you can see, with their counts" } }, async (request) => ({
      evaluations: (await listEvaluations(services, request.actor)).map(({ counts, my_role, open_participation, ...e }) => ({
        ...presentEvaluation(e),
        counts,
        myRole: my_role,
        participation: open_participation ? ("open" as const) : ("invitation" as const),
      })),
    }));

    app.post("/api/evaluations", { schema: { response: { 201: api.createdEvaluation }, tags: ["evaluations"], body: createEvaluationBody } }, async (request, reply) => {
      const created = await createEvaluation(services, request.actor, request.body);
      return reply.status(201).send({ evaluation: presentEvaluation(created.evaluation), charter: created.charter });
    });

    app.get("/api/evaluations/:id", { schema: { response: { 200: api.evaluationDetail }, tags: ["evaluations"], params: evaluationParams } }, async (request) => {
      const { evaluation, role, charters } = await getEvaluation(services, request.actor, request.params.id);
      const current = charters[charters.length - 1];
      return { evaluation: presentEvaluation(evaluation), role, charter: current ? presentCharter(current) : null, charterVersions: charters.map((c) => ({ version: c.version, contentHash: c.content_hash, createdAt: c.created_at })) };
    });

    app.patch("/api/evaluations/:id", { schema: { response: { 200: api.evaluationEnvelope }, tags: ["evaluations"], params: evaluationParams, body: stateBody } }, async (request) => ({
      evaluation: presentEvaluation(await changeState(services, request.actor, request.params.id, request.body)),
    }));

    app.get("/api/evaluations/:id/subjects", { schema: { response: { 200: api.subjectList }, tags: ["subjects"], params: evaluationParams } }, async (request) => ({
      subjects: (await listEvaluationSubjects(services, request.actor, request.params.id)).map(presentSubject),
    }));

    app.post("/api/evaluations/:id/subjects", { schema: { response: { 201: api.subjectEnvelope }, tags: ["subjects"], params: evaluationParams, body: subjectBody } }, async (request, reply) =>
      reply.status(201).send({ subject: presentSubject(await addSubject(services, request.actor, request.params.id, request.body)) }),
    );

    app.get("/api/evaluations/:id/items", { schema: { response: { 200: api.itemList }, tags: ["items"], params: evaluationParams } }, async (request) => ({
      items: (await listEvaluationItems(services, request.actor, request.params.id)).map(presentItem),
    }));

    app.post("/api/evaluations/:id/items", { schema: { response: { 201: api.itemEnvelope }, tags: ["items"], params: evaluationParams, body: itemBody } }, async (request, reply) =>
      reply.status(201).send({ item: presentItem(await addItem(services, request.actor, request.params.id, request.body)) }),
    );

    app.get("/api/evaluations/:id/responses", { schema: { response: { 200: api.answeredList }, tags: ["items"], summary: "Which subject answered which item (organisers)", params: evaluationParams } }, async (request) => ({
      answers: await listEvaluationAnswers(services, request.actor, request.params.id),
    }));

    app.post("/api/evaluations/:id/responses", { schema: { response: { 201: api.responseEnvelope }, tags: ["items"], params: evaluationParams, body: responseBody } }, async (request, reply) =>
      reply.status(201).send({ response: presentResponse(await addResponse(services, request.actor, request.params.id, request.body)) }),
    );

    app.post(
      "/api/evaluations/:id/invitations",
      { schema: { response: { 201: api.invitationCreated }, tags: ["participation"], params: evaluationParams, body: invitationBody } },
      async (request, reply) => {
        const { role, maxUses, expiresAt } = request.body;
        const invitation = await createInvitation(services, request.actor, request.params.id, { role, maxUses: maxUses ?? null, expiresAt: expiresAt ? new Date(expiresAt) : null });
        return reply.status(201).send({ invitation: presentInvitation(invitation), path: `/join/${invitation.token}` });
      },
    );

    app.get("/api/evaluations/:id/invitations", { schema: { response: { 200: api.invitationList }, tags: ["participation"], summary: "Invitation links with their uses left, expiry and status (organisers)", params: evaluationParams } }, async (request) => ({
      invitations: await listEvaluationInvitations(services, request.actor, request.params.id),
    }));

    app.post(
      "/api/evaluations/:id/invitations/batch",
      { schema: { response: { 201: z.string().describe("CSV: link,token,role,expires_at") }, tags: ["participation"], summary: "Personal single-use links in bulk, as CSV (organisers)", params: evaluationParams, body: invitationBatchBody } },
      async (request, reply) => {
        const { count, role, expiresAt } = request.body;
        const links = await createPersonalInvitations(services, request.actor, request.params.id, { count, role, expiresAt: expiresAt ? new Date(expiresAt) : null });
        const origin = `${request.protocol}://${request.host}`;
        const csv = ["link,token,role,expires_at", ...links.map((l) => [`${origin}/join/${l.token}`, l.token, l.role, l.expires_at?.toISOString() ?? ""].join(","))].join("\n") + "\n";
        return reply.status(201).header("content-type", "text/csv; charset=utf-8").header("content-disposition", 'attachment; filename="invitations.csv"').send(csv);
      },
    );

    app.post(
      "/api/evaluations/:id/invitations/:token/revoke",
      { schema: { response: { 200: api.invitationRevoked }, tags: ["participation"], summary: "Revoke an invitation link (organisers)", params: evaluationParams.extend({ token: z.string().min(1).max(200) }) } },
      async (request) => ({ invitation: await revokeEvaluationInvitation(services, request.actor, request.params.id, request.params.token) }),
    );

    app.get("/api/evaluations/:id/progress", { schema: { response: { 200: api.progress }, tags: ["evaluations"], summary: "Participation, pair coverage, abstentions and contests (organisers and observers)", params: evaluationParams } }, async (request) => {
      const progress = await evaluationProgress(services, request.actor, request.params.id);
      return { ...progress, counts: presentProgressCounts(progress.counts) };
    });

    app.get("/healthz", { schema: { hide: true, response: { 200: api.health } } }, async () => {
      await services.pool.query("SELECT 1");
      return { ok: true };
    });
  };
}
