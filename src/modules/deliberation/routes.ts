import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { CONSENT_SCOPES } from "../../core/consent.ts";
import { importPolis } from "./import-service.ts";
import { opinionMapFor } from "./opinion-service.ts";
import { deliberativePoll } from "./poll-service.ts";
import { nextStatementsFor } from "./routing-service.ts";
import { getSettings, moderateStatement, myStatementVotes, statementsFor, submitStatement, updateSettings, voteOnStatement } from "./statement-service.ts";
import { createPost, editOwnPost, flagPost, getPost, listThread, moderatePost, publicModerationLog, replyToPost } from "./thread-service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { organiserBeforeBody } from "../../platform/http/before-body.ts";
import { evaluationParams, UPLOAD_LIMIT_BYTES, uuid } from "../../contract/requests.ts";
import * as api from "../../contract/deliberation.ts";
import { presentPost } from "./presenter.ts";

const TARGET_KINDS = ["evaluation", "item", "response", "result"] as const;
const text = z.string().min(1).max(200_000);
const reason = z.string().trim().min(1, "give a reason").max(100_000);
const postParams = evaluationParams.extend({ postId: uuid });
const statementParams = evaluationParams.extend({ statementId: uuid });

export const settingsBody = z.strictObject({ statementModeration: z.enum(["strict", "permissive"]) });
export const postBody = z.strictObject({ targetKind: z.enum(TARGET_KINDS), targetId: z.string().min(1).max(200).optional(), text });
export const threadQuery = z.strictObject({ targetKind: z.enum(TARGET_KINDS).optional(), targetId: z.string().min(1).max(200).optional() });
export const postModerationBody = z.strictObject({ action: z.enum(["hide", "restore"]), reason });
export const statementModerationBody = z.strictObject({ state: z.enum(["accepted", "rejected", "unmoderated"]), reason: z.string().max(100_000).optional() });
export const voteBody = z.strictObject({ vote: z.enum(["agree", "disagree", "pass"]) });
export const nextQuery = z.strictObject({ count: z.coerce.number().int().min(1).max(50).default(1) });
export const polisImportBody = z.strictObject({
  comments: z.string().min(1).max(20_000_000),
  votes: z.string().min(1).max(50_000_000),
  consentScopes: z.array(z.enum(CONSENT_SCOPES)).min(1),
});

export function deliberationRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { services } = deps;
  return async (app) => {
    const tags = ["deliberation"];
    app.get("/api/evaluations/:id/deliberation/settings", { schema: { response: { 200: api.deliberationSettings }, tags, params: evaluationParams } }, async (request) =>
      getSettings(services, request.actor, request.params.id),
    );
    app.put("/api/evaluations/:id/deliberation/settings", { schema: { response: { 200: api.deliberationSettings }, tags, params: evaluationParams, body: settingsBody } }, async (request) =>
      updateSettings(services, request.actor, request.params.id, request.body.statementModeration),
    );

    app.get("/api/evaluations/:id/posts", { schema: { response: { 200: api.thread }, tags, params: evaluationParams, querystring: threadQuery } }, async (request) => {
      const { targetKind, targetId } = request.query;
      return listThread(services, request.actor, request.params.id, targetKind ? { kind: targetKind, id: targetId } : undefined);
    });
    app.post("/api/evaluations/:id/posts", { schema: { response: { 201: api.postEnvelope }, tags, params: evaluationParams, body: postBody } }, async (request, reply) =>
      reply.status(201).send(presentPost(await createPost(services, request.actor, request.params.id, { kind: request.body.targetKind, id: request.body.targetId }, request.body.text))),
    );
    app.get("/api/evaluations/:id/posts/:postId", { schema: { response: { 200: api.postEnvelope }, tags, params: postParams } }, async (request) =>
      presentPost(await getPost(services, request.actor, request.params.id, request.params.postId)),
    );
    app.patch("/api/evaluations/:id/posts/:postId", { schema: { response: { 200: api.postEnvelope }, tags, params: postParams, body: z.strictObject({ text }) } }, async (request) =>
      presentPost(await editOwnPost(services, request.actor, request.params.id, request.params.postId, request.body.text)),
    );
    app.post("/api/evaluations/:id/posts/:postId/replies", { schema: { response: { 201: api.postEnvelope }, tags, params: postParams, body: z.strictObject({ text }) } }, async (request, reply) =>
      reply.status(201).send(presentPost(await replyToPost(services, request.actor, request.params.id, request.params.postId, request.body.text))),
    );
    app.post("/api/evaluations/:id/posts/:postId/flags", { schema: { response: { 201: api.postEnvelope }, tags, params: postParams, body: z.strictObject({ reason }) } }, async (request, reply) =>
      reply.status(201).send(presentPost(await flagPost(services, request.actor, request.params.id, request.params.postId, request.body.reason))),
    );
    app.post("/api/evaluations/:id/posts/:postId/moderation", { schema: { response: { 201: api.postEnvelope }, tags, params: postParams, body: postModerationBody } }, async (request, reply) =>
      reply.status(201).send(presentPost(await moderatePost(services, request.actor, request.params.id, request.params.postId, request.body.action, request.body.reason))),
    );
    app.get("/api/evaluations/:id/moderation", { schema: { response: { 200: api.moderationLog }, tags, params: evaluationParams } }, async (request) =>
      publicModerationLog(services, request.actor, request.params.id),
    );

    app.get("/api/evaluations/:id/statements", { schema: { response: { 200: api.statementList }, tags, params: evaluationParams } }, async (request) =>
      statementsFor(services, request.actor, request.params.id),
    );
    app.post("/api/evaluations/:id/statements", { schema: { response: { 201: api.statementEnvelope }, tags, params: evaluationParams, body: z.strictObject({ text }) } }, async (request, reply) =>
      reply.status(201).send(await submitStatement(services, request.actor, request.params.id, request.body.text)),
    );
    app.get("/api/evaluations/:id/statements/next", { schema: { response: { 200: api.nextStatements }, tags, params: evaluationParams, querystring: nextQuery } }, async (request) =>
      nextStatementsFor(services, request.actor, request.params.id, request.query.count),
    );
    app.get("/api/evaluations/:id/statements/votes/mine", { schema: { response: { 200: api.myStatementVotes }, tags, params: evaluationParams } }, async (request) =>
      myStatementVotes(services, request.actor, request.params.id),
    );
    app.put("/api/evaluations/:id/statements/:statementId/vote", { schema: { response: { 200: api.voteResult }, tags, params: statementParams, body: voteBody } }, async (request) =>
      voteOnStatement(services, request.actor, request.params.id, request.params.statementId, request.body.vote),
    );
    app.post("/api/evaluations/:id/statements/:statementId/moderation", { schema: { response: { 201: api.statementEnvelope }, tags, params: statementParams, body: statementModerationBody } }, async (request, reply) =>
      reply.status(201).send(await moderateStatement(services, request.actor, request.params.id, request.params.statementId, request.body.state, request.body.reason)),
    );
    app.post("/api/evaluations/:id/statements/import", { bodyLimit: UPLOAD_LIMIT_BYTES, onRequest: organiserBeforeBody(deps), schema: { response: { 201: api.polisImportSummary }, tags, summary: "Import a Polis export (comments.csv and votes.csv contents)", params: evaluationParams, body: polisImportBody } }, async (request, reply) =>
      reply.status(201).send(await importPolis(services, request.actor, request.params.id, request.body)),
    );

    app.get("/api/evaluations/:id/opinion", { schema: { response: { 200: api.opinionMap }, tags, summary: "The opinion map from stored statement votes (k-suppressed)", params: evaluationParams } }, async (request) =>
      opinionMapFor(services, request.actor, request.params.id),
    );
    app.get("/api/evaluations/:id/deliberative-poll", { schema: { response: { 200: api.deliberativePoll }, tags, summary: "Judgments before and after deliberation (k-suppressed)", params: evaluationParams } }, async (request) =>
      deliberativePoll(services, request.actor, request.params.id),
    );
  };
}
