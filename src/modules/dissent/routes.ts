/** Minority reports and demands. No route edits or deletes a minority report. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { evaluationParams, uuid } from "../../contract/requests.ts";
import { DEMAND_PROGRESS } from "../../core/dissent.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { addMilestone, answerDemand, dissentCounts, endorseDemand, finishMilestone, listDemandViews, listReports, makeDemand, setDemandProgress, signMinorityReport, writeMinorityReport } from "./service.ts";
import * as api from "../../contract/dissent.ts";
import { presentReport } from "./presenter.ts";

const text = (max: number) => z.string().trim().min(1).max(max);
const writingBody = z.strictObject({ title: text(300), text: z.string().trim().min(1).max(100_000) });
const answerBody = z.strictObject({ answer: z.string().trim().min(1).max(100_000) });
const progressBody = z.strictObject({ status: z.enum(DEMAND_PROGRESS), reason: z.string().max(4000).optional() });
const milestoneBody = z.strictObject({ title: text(300), dueAt: z.iso.datetime({ offset: true }).optional() });
const reportParams = evaluationParams.extend({ reportId: uuid });
const demandParams = evaluationParams.extend({ demandId: uuid });

export function dissentRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const dissent = ["dissent"];
    app.get("/api/evaluations/:id/dissent", { schema: { response: { 200: api.dissentCounts }, tags: dissent, params: evaluationParams } }, async (request) => dissentCounts(services, request.actor, request.params.id));

    app.get("/api/evaluations/:id/minority-reports", { schema: { response: { 200: api.minorityReportList }, tags: dissent, params: evaluationParams } }, async (request) => listReports(services, request.actor, request.params.id));

    app.post("/api/evaluations/:id/minority-reports", { schema: { response: { 201: api.minorityReportEnvelope }, tags: dissent, params: evaluationParams, body: writingBody } }, async (request, reply) =>
      reply.status(201).send(presentReport(await writeMinorityReport(services, request.actor, request.params.id, request.body))),
    );

    app.post("/api/evaluations/:id/minority-reports/:reportId/signatures", { schema: { response: { 201: api.minorityReportEnvelope }, tags: dissent, params: reportParams } }, async (request, reply) =>
      reply.status(201).send(presentReport(await signMinorityReport(services, request.actor, request.params.id, request.params.reportId))),
    );

    app.get("/api/evaluations/:id/demands", { schema: { response: { 200: api.demandList }, tags: dissent, params: evaluationParams } }, async (request) => listDemandViews(services, request.actor, request.params.id));

    app.post("/api/evaluations/:id/demands", { schema: { response: { 201: api.demandEnvelope }, tags: dissent, params: evaluationParams, body: writingBody } }, async (request, reply) =>
      reply.status(201).send({ demand: await makeDemand(services, request.actor, request.params.id, request.body) }),
    );

    app.post("/api/evaluations/:id/demands/:demandId/endorsements", { schema: { response: { 201: api.demandEnvelope }, tags: dissent, params: demandParams } }, async (request, reply) =>
      reply.status(201).send({ demand: await endorseDemand(services, request.actor, request.params.id, request.params.demandId) }),
    );

    app.post("/api/evaluations/:id/demands/:demandId/answer", { schema: { response: { 200: api.demandEnvelope }, tags: dissent, params: demandParams, body: answerBody } }, async (request) => ({
      demand: await answerDemand(services, request.actor, request.params.id, request.params.demandId, request.body.answer),
    }));

    app.post("/api/evaluations/:id/demands/:demandId/progress", { schema: { response: { 200: api.demandEnvelope }, tags: dissent, params: demandParams, body: progressBody } }, async (request) => ({
      demand: await setDemandProgress(services, request.actor, request.params.id, request.params.demandId, request.body.status, request.body.reason ?? null),
    }));

    app.post("/api/evaluations/:id/demands/:demandId/milestones", { schema: { response: { 201: api.demandEnvelope }, tags: dissent, params: demandParams, body: milestoneBody } }, async (request, reply) => {
      const { title, dueAt } = request.body;
      return reply.status(201).send({ demand: await addMilestone(services, request.actor, request.params.id, request.params.demandId, { title, dueAt: dueAt ? new Date(dueAt) : null }) });
    });

    app.post(
      "/api/evaluations/:id/demands/:demandId/milestones/:milestoneId/done",
      { schema: { response: { 200: api.demandEnvelope }, tags: dissent, params: demandParams.extend({ milestoneId: uuid }) } },
      async (request) => ({ demand: await finishMilestone(services, request.actor, request.params.id, request.params.demandId, request.params.milestoneId) }),
    );
  };
}
