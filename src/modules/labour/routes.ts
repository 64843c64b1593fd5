/** Labour: measured time and pay, the pay ledger, payouts and sponsor ratings. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { evaluationLabour, myLabour, payLedger, rateSponsor, recordPayout } from "./service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { evaluationParams } from "../../contract/requests.ts";
import * as api from "../../contract/labour.ts";
import { presentMyLabour } from "./presenter.ts";

const payoutBody = z.strictObject({ participant: z.string().trim().min(1).max(200), amountMinor: z.number().int().min(1).max(1_000_000_000), note: z.string().max(2000).optional() });
const score = z.number().int().min(1).max(5);
const ratingBody = z.strictObject({ communication: score, pay: score, fairness: score, promptness: score });

export function labourRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get("/api/evaluations/:id/me/labour", { schema: { response: { 200: api.myLabour }, tags: ["labour"], params: evaluationParams } }, async (request) => presentMyLabour(await myLabour(services, request.actor, request.params.id)));

    app.get("/api/evaluations/:id/labour", { schema: { response: { 200: api.evaluationLabour }, tags: ["labour"], params: evaluationParams } }, async (request) => evaluationLabour(services, request.actor, request.params.id));

    app.get("/api/evaluations/:id/labour/ledger", { schema: { response: { 200: api.payLedger }, tags: ["labour"], params: evaluationParams } }, async (request) => payLedger(services, request.actor, request.params.id));

    app.post("/api/evaluations/:id/payouts", { schema: { response: { 201: api.payoutEnvelope }, tags: ["labour"], params: evaluationParams, body: payoutBody } }, async (request, reply) =>
      reply.status(201).send({ payout: await recordPayout(services, request.actor, request.params.id, request.body) }),
    );

    app.put("/api/evaluations/:id/me/sponsor-rating", { schema: { response: { 200: api.sponsorRatingEnvelope }, tags: ["labour"], params: evaluationParams, body: ratingBody } }, async (request) => ({
      rating: await rateSponsor(services, request.actor, request.params.id, request.body),
    }));

  };
}
