import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertInvitationUsable, assertOpenParticipation, consentReceipt, joinOpen, joinWithInvitation, previewInvitation, myParticipation, revokeConsent, setCommunities, setConsent } from "./service.ts";
import { discardNewAccount, ensureAccount } from "../../platform/http/auth.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { communitiesBody, consentBody, evaluationParams, joinBody, revokeBody } from "../../contract/requests.ts";
import * as api from "../../contract/participation.ts";
import { presentConsentChange, presentMe, presentParticipant } from "./presenter.ts";

export function participationRoutes({ services, auth }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/invitations/:token",
      { schema: { response: { 200: api.invitationPreview }, tags: ["participation"], summary: "Check an invitation link before joining: the evaluation it opens, or 410 invitation_invalid naming why not", params: z.strictObject({ token: z.string().min(1).max(200) }) } },
      async (request) => previewInvitation(services, request.params.token),
    );

    app.post(
      "/api/invitations/:token/join",
      { schema: { response: { 201: api.joined }, tags: ["participation"], summary: "Join through an invitation (creates a pseudonymous account if needed)", params: z.strictObject({ token: z.string().min(1).max(200) }), body: joinBody } },
      async (request, reply) => {
        // A link that admits nobody creates nothing: checked before an account is made, and a refusal under the
        // join's lock (a race for the last use) takes back the account this request made.
        await assertInvitationUsable(services, request.params.token);
        const actor = await ensureAccount(auth, request, reply);
        try {
          const joined = await joinWithInvitation(services, actor, request.params.token, request.body?.communities ?? []);
          return reply.status(201).send({ ...joined, participant: joined.participant ? presentParticipant(joined.participant) : null });
        } catch (error) {
          if (actor.created && actor.userId) await discardNewAccount(services.pool, reply, actor.userId);
          throw error;
        }
      },
    );

    app.post(
      "/api/evaluations/:id/join",
      { schema: { response: { 201: api.joined }, tags: ["participation"], summary: "Join without an invitation where the charter allows open participation (creates a pseudonymous account if needed)", params: evaluationParams, body: joinBody } },
      async (request, reply) => {
        await assertOpenParticipation(services, request.params.id);
        const actor = await ensureAccount(auth, request, reply);
        try {
          const joined = await joinOpen(services, actor, request.params.id, request.body?.communities ?? []);
          return reply.status(201).send({ ...joined, participant: joined.participant ? presentParticipant(joined.participant) : null });
        } catch (error) {
          if (actor.created && actor.userId) await discardNewAccount(services.pool, reply, actor.userId);
          throw error;
        }
      },
    );

    app.get("/api/evaluations/:id/me", { schema: { response: { 200: api.me }, tags: ["participation"], params: evaluationParams } }, async (request) =>
      presentMe(await myParticipation(services, request.actor, request.params.id)),
    );

    app.put("/api/evaluations/:id/consent", { schema: { response: { 200: api.consentChange }, tags: ["consent"], params: evaluationParams, body: consentBody } }, async (request) =>
      presentConsentChange(await setConsent(services, request.actor, request.params.id, request.body.scopes)),
    );

    app.post("/api/evaluations/:id/consent/revoke", { schema: { response: { 200: api.consentChange }, tags: ["consent"], params: evaluationParams, body: revokeBody } }, async (request) =>
      presentConsentChange(await revokeConsent(services, request.actor, request.params.id, request.body?.scopes)),
    );

    app.put("/api/evaluations/:id/communities", { schema: { response: { 200: api.communities }, tags: ["participation"], params: evaluationParams, body: communitiesBody } }, async (request) => ({
      communities: await setCommunities(services, request.actor, request.params.id, request.body.communities),
    }));

    app.get("/api/evaluations/:id/me/consent-receipt", { schema: { response: { 200: api.consentReceipt }, tags: ["consent"], params: evaluationParams } }, async (request, reply) => {
      const receipt = await consentReceipt(services, request.actor, request.params.id);
      return reply.header("content-disposition", `attachment; filename="consent-receipt-${receipt.evaluation.slug}.json"`).send(receipt);
    });

  };
}
