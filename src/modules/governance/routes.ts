/** Routes for proposals and ballots, minority reports and demands. No route edits or deletes a minority report. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { DEMAND_PROGRESS } from "../../core/dissent.ts";
import { BALLOT_CHOICES } from "../../core/governance.ts";
import { addMilestone, answerDemand, dissentCounts, endorseDemand, finishMilestone, listDemandViews, listReports, makeDemand, setDemandProgress, signMinorityReport, writeMinorityReport } from "../dissent/service.ts";
import { castBallot, closeProposal, createProposal, getProposal, listProposals } from "./service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { evaluationParams, uuid } from "../../contract/requests.ts";

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
const writingBody = z.strictObject({ title: text(300), text: z.string().trim().min(1).max(100_000) });
const answerBody = z.strictObject({ answer: z.string().trim().min(1).max(100_000) });
const progressBody = z.strictObject({ status: z.enum(DEMAND_PROGRESS), reason: z.string().max(4000).optional() });
const milestoneBody = z.strictObject({ title: text(300), dueAt: z.iso.datetime({ offset: true }).optional() });

const proposalParams = evaluationParams.extend({ proposalId: uuid });
const reportParams = evaluationParams.extend({ reportId: uuid });
const demandParams = evaluationParams.extend({ demandId: uuid });

export function governanceRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ["governance"];
    app.get("/api/evaluations/:id/proposals", { schema: { tags, params: evaluationParams } }, async (request) => listProposals(services, request.actor, request.params.id));

    app.post("/api/evaluations/:id/proposals", { schema: { tags, params: evaluationParams, body: proposalBody } }, async (request, reply) => {
      const { deadline, ...rest } = request.body;
      return reply.status(201).send({ proposal: await createProposal(services, request.actor, request.params.id, { ...rest, deadline: new Date(deadline) }) });
    });

    app.get("/api/evaluations/:id/proposals/:proposalId", { schema: { tags, params: proposalParams } }, async (request) =>
      getProposal(services, request.actor, request.params.id, request.params.proposalId),
    );

    app.put("/api/evaluations/:id/proposals/:proposalId/ballot", { schema: { tags, params: proposalParams, body: ballotBody } }, async (request) => ({
      ballot: await castBallot(services, request.actor, request.params.id, request.params.proposalId, request.body.choice, request.body.reason ?? null),
    }));

    app.post("/api/evaluations/:id/proposals/:proposalId/close", { schema: { tags, params: proposalParams } }, async (request) => ({
      proposal: await closeProposal(services, request.actor, request.params.id, request.params.proposalId),
    }));

    const dissent = ["dissent"];
    app.get("/api/evaluations/:id/dissent", { schema: { tags: dissent, params: evaluationParams } }, async (request) => dissentCounts(services, request.actor, request.params.id));

    app.get("/api/evaluations/:id/minority-reports", { schema: { tags: dissent, params: evaluationParams } }, async (request) => listReports(services, request.actor, request.params.id));

    app.post("/api/evaluations/:id/minority-reports", { schema: { tags: dissent, params: evaluationParams, body: writingBody } }, async (request, reply) =>
      reply.status(201).send({ report: await writeMinorityReport(services, request.actor, request.params.id, request.body) }),
    );

    app.post("/api/evaluations/:id/minority-reports/:reportId/signatures", { schema: { tags: dissent, params: reportParams } }, async (request, reply) =>
      reply.status(201).send({ report: await signMinorityReport(services, request.actor, request.params.id, request.params.reportId) }),
    );

    app.get("/api/evaluations/:id/demands", { schema: { tags: dissent, params: evaluationParams } }, async (request) => listDemandViews(services, request.actor, request.params.id));

    app.post("/api/evaluations/:id/demands", { schema: { tags: dissent, params: evaluationParams, body: writingBody } }, async (request, reply) =>
      reply.status(201).send({ demand: await makeDemand(services, request.actor, request.params.id, request.body) }),
    );

    app.post("/api/evaluations/:id/demands/:demandId/endorsements", { schema: { tags: dissent, params: demandParams } }, async (request, reply) =>
      reply.status(201).send({ demand: await endorseDemand(services, request.actor, request.params.id, request.params.demandId) }),
    );

    app.post("/api/evaluations/:id/demands/:demandId/answer", { schema: { tags: dissent, params: demandParams, body: answerBody } }, async (request) => ({
      demand: await answerDemand(services, request.actor, request.params.id, request.params.demandId, request.body.answer),
    }));

    app.post("/api/evaluations/:id/demands/:demandId/progress", { schema: { tags: dissent, params: demandParams, body: progressBody } }, async (request) => ({
      demand: await setDemandProgress(services, request.actor, request.params.id, request.params.demandId, request.body.status, request.body.reason ?? null),
    }));

    app.post("/api/evaluations/:id/demands/:demandId/milestones", { schema: { tags: dissent, params: demandParams, body: milestoneBody } }, async (request, reply) => {
      const { title, dueAt } = request.body;
      return reply.status(201).send({ demand: await addMilestone(services, request.actor, request.params.id, request.params.demandId, { title, dueAt: dueAt ? new Date(dueAt) : null }) });
    });

    app.post(
      "/api/evaluations/:id/demands/:demandId/milestones/:milestoneId/done",
      { schema: { tags: dissent, params: demandParams.extend({ milestoneId: uuid }) } },
      async (request) => ({ demand: await finishMilestone(services, request.actor, request.params.id, request.params.demandId, request.params.milestoneId) }),
    );
  };
}
