/** Proposals and ballots: collective decisions the platform carries out. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { BALLOT_CHOICES } from "../../core/governance.ts";
import { castBallot, closeProposal, createProposal, getProposal, listProposals } from "./service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { evaluationParams, uuid } from "../../contract/requests.ts";
import * as api from "../../contract/governance.ts";

const text = (max: number) => z.string().trim().min(1).max(max);
const common = { title: text(300), description: z.string().max(10_000).optional(), deadline: z.iso.datetime({ offset: true }) };
export const proposalBody = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("amend_charter"), ...common, payload: z.strictObject({ charter: z.record(z.string(), z.unknown()) }) }),
  z.strictObject({ kind: z.literal("release_data"), ...common, payload: z.record(z.string(), z.unknown()) }),
  z.strictObject({ kind: z.literal("adopt_rule"), ...common, payload: z.record(z.string(), z.unknown()) }),
  z.strictObject({ kind: z.literal("withhold_data"), ...common, payload: z.record(z.string(), z.unknown()).optional() }),
  z.strictObject({ kind: z.literal("end_withholding"), ...common, payload: z.record(z.string(), z.unknown()).optional() }),
  z.strictObject({ kind: z.literal("custom"), ...common, payload: z.record(z.string(), z.unknown()).optional() }),
]);
const ballotBody = z.strictObject({ choice: z.enum(BALLOT_CHOICES), reason: z.string().max(4000).optional() });

const proposalParams = evaluationParams.extend({ proposalId: uuid });

export function governanceRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ["governance"];
    app.get("/api/evaluations/:id/proposals", { schema: { response: { 200: api.proposalList }, tags, params: evaluationParams } }, async (request) => listProposals(services, request.actor, request.params.id));

    app.post("/api/evaluations/:id/proposals", { schema: { response: { 201: api.proposalEnvelope }, tags, params: evaluationParams, body: proposalBody } }, async (request, reply) => {
      const { deadline, ...rest } = request.body;
      return reply.status(201).send({ proposal: await createProposal(services, request.actor, request.params.id, { ...rest, deadline: new Date(deadline) }) });
    });

    app.get("/api/evaluations/:id/proposals/:proposalId", { schema: { response: { 200: api.proposalDetail }, tags, params: proposalParams } }, async (request) =>
      getProposal(services, request.actor, request.params.id, request.params.proposalId),
    );

    app.put("/api/evaluations/:id/proposals/:proposalId/ballot", { schema: { response: { 200: api.ballotEnvelope }, tags, params: proposalParams, body: ballotBody } }, async (request) => ({
      ballot: await castBallot(services, request.actor, request.params.id, request.params.proposalId, request.body.choice, request.body.reason ?? null),
    }));

    app.post("/api/evaluations/:id/proposals/:proposalId/close", { schema: { response: { 200: api.proposalEnvelope }, tags, params: proposalParams } }, async (request) => ({
      proposal: await closeProposal(services, request.actor, request.params.id, request.params.proposalId),
    }));

  };
}
