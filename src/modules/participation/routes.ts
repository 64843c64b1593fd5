import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { castJudgment, judgeItem, nextAssignment, reviseJudgment } from "../judging/service.ts";
import { myJudgments } from "../judging/presenter.ts";
import { joinWithInvitation, myParticipation, revokeConsent, setCommunities, setConsent } from "./service.ts";
import { ensureAccount } from "../../platform/http/auth.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { assignmentBody, communitiesBody, consentBody, evaluationParams, itemJudgmentBody, joinBody, judgmentBody, revokeBody, uuid } from "../../contract/requests.ts";

export function participationRoutes({ services, auth }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/api/invitations/:token/join",
      { schema: { tags: ["participation"], summary: "Join through an invitation (creates a pseudonymous account if needed)", params: z.strictObject({ token: z.string().min(1).max(200) }), body: joinBody } },
      async (request, reply) => {
        const actor = await ensureAccount(auth, request, reply);
        const joined = await joinWithInvitation(services, actor, request.params.token, request.body?.communities ?? []);
        return reply.status(201).send(joined);
      },
    );

    app.get("/api/evaluations/:id/me", { schema: { tags: ["participation"], params: evaluationParams } }, async (request) =>
      myParticipation(services, request.actor, request.params.id),
    );

    app.get("/api/evaluations/:id/me/judgments", { schema: { tags: ["judging"], summary: "My judgments, every version, with items and revealed subjects", params: evaluationParams } }, async (request) =>
      myJudgments(services, request.actor, request.params.id),
    );

    app.put("/api/evaluations/:id/consent", { schema: { tags: ["consent"], params: evaluationParams, body: consentBody } }, async (request) =>
      setConsent(services, request.actor, request.params.id, request.body.scopes),
    );

    app.post("/api/evaluations/:id/consent/revoke", { schema: { tags: ["consent"], params: evaluationParams, body: revokeBody } }, async (request) =>
      revokeConsent(services, request.actor, request.params.id, request.body?.scopes),
    );

    app.put("/api/evaluations/:id/communities", { schema: { tags: ["participation"], params: evaluationParams, body: communitiesBody } }, async (request) => ({
      communities: await setCommunities(services, request.actor, request.params.id, request.body.communities),
    }));

    app.post("/api/evaluations/:id/assignments", { schema: { tags: ["judging"], params: evaluationParams, body: assignmentBody } }, async (request, reply) =>
      reply.status(201).send(await nextAssignment(services, request.actor, request.params.id, request.body.mode)),
    );

    app.post(
      "/api/evaluations/:id/assignments/:token/judgment",
      { schema: { tags: ["judging"], params: evaluationParams.extend({ token: z.string().min(1).max(200) }), body: judgmentBody } },
      async (request, reply) =>
        reply.status(201).send(await castJudgment(services, request.actor, request.params.id, request.params.token, request.body.judgment, request.body.rationale)),
    );

    app.post(
      "/api/evaluations/:id/items/:itemId/judgments",
      { schema: { tags: ["judging"], summary: "Abstain on or contest an item", params: evaluationParams.extend({ itemId: uuid }), body: itemJudgmentBody } },
      async (request, reply) =>
        reply.status(201).send({ judgment: await judgeItem(services, request.actor, request.params.id, request.params.itemId, request.body.judgment, request.body.rationale) }),
    );

    app.post(
      "/api/evaluations/:id/judgments/:judgmentId/revisions",
      { schema: { tags: ["judging"], params: evaluationParams.extend({ judgmentId: uuid }), body: judgmentBody } },
      async (request, reply) =>
        reply.status(201).send({ judgment: await reviseJudgment(services, request.actor, request.params.id, request.params.judgmentId, request.body.judgment, request.body.rationale) }),
    );
  };
}
