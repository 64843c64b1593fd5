/**
 * Contributors' power over their contributions: consent receipts, the export audit log and "where did my data
 * go", notices owed after a revocation, labour and pay, the evaluation card; plus governance and dissent
 * (routes in power-governance.ts).
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { buildCard, cardMarkdown } from "../card/service.ts";
import { exportLog, myExports, recordExportNotice } from "../exports/service.ts";
import { evaluationLabour, myLabour, payLedger, rateSponsor, recordPayout } from "./service.ts";
import { consentReceipt } from "../participation/service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { evaluationParams, uuid } from "../../contract/requests.ts";
import { governanceRoutes } from "../governance/routes.ts";

const noticeBody = z.strictObject({
  participant: z.string().trim().min(1, "name the contributor's pseudonym in this export, or all").max(200),
  note: z.string().max(4000).optional(),
});
const payoutBody = z.strictObject({ participant: z.string().trim().min(1).max(200), amountMinor: z.number().int().min(1).max(1_000_000_000), note: z.string().max(2000).optional() });
const score = z.number().int().min(1).max(5);
const ratingBody = z.strictObject({ communication: score, pay: score, fairness: score, promptness: score });
const cardQuery = z.strictObject({ format: z.enum(["json", "markdown"]).default("json") });

export function powerRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { services } = deps;
  return async (app) => {
    await app.register(governanceRoutes(deps));

    app.get("/api/evaluations/:id/me/consent-receipt", { schema: { tags: ["consent"], params: evaluationParams } }, async (request, reply) => {
      const receipt = await consentReceipt(services, request.actor, request.params.id);
      return reply.header("content-disposition", `attachment; filename="consent-receipt-${receipt.evaluation.slug}.json"`).send(receipt);
    });

    app.get("/api/evaluations/:id/exports", { schema: { tags: ["exports"], params: evaluationParams } }, async (request) => ({
      exports: await exportLog(services, request.actor, request.params.id),
    }));

    app.get("/api/evaluations/:id/me/exports", { schema: { tags: ["exports"], params: evaluationParams } }, async (request) => ({
      exports: await myExports(services, request.actor, request.params.id),
    }));

    app.post(
      "/api/evaluations/:id/exports/:exportId/notices",
      { schema: { tags: ["exports"], params: evaluationParams.extend({ exportId: uuid }), body: noticeBody } },
      async (request, reply) => reply.status(201).send({ notice: await recordExportNotice(services, request.actor, request.params.id, request.params.exportId, request.body) }),
    );

    app.get("/api/evaluations/:id/me/labour", { schema: { tags: ["labour"], params: evaluationParams } }, async (request) => myLabour(services, request.actor, request.params.id));

    app.get("/api/evaluations/:id/labour", { schema: { tags: ["labour"], params: evaluationParams } }, async (request) => evaluationLabour(services, request.actor, request.params.id));

    app.get("/api/evaluations/:id/labour/ledger", { schema: { tags: ["labour"], params: evaluationParams } }, async (request) => payLedger(services, request.actor, request.params.id));

    app.post("/api/evaluations/:id/payouts", { schema: { tags: ["labour"], params: evaluationParams, body: payoutBody } }, async (request, reply) =>
      reply.status(201).send({ payout: await recordPayout(services, request.actor, request.params.id, request.body) }),
    );

    app.put("/api/evaluations/:id/me/sponsor-rating", { schema: { tags: ["labour"], params: evaluationParams, body: ratingBody } }, async (request) => ({
      rating: await rateSponsor(services, request.actor, request.params.id, request.body),
    }));

    app.get("/api/evaluations/:id/card", { schema: { tags: ["card"], params: evaluationParams, querystring: cardQuery } }, async (request, reply) => {
      if (request.query.format === "markdown") return reply.type("text/markdown; charset=utf-8").send(await cardMarkdown(services, request.actor, request.params.id));
      return buildCard(services, request.actor, request.params.id);
    });
  };
}
