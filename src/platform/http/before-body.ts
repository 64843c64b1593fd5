/**
 * Authorisation before the body is read. The upload routes accept up to 100 MiB; Fastify would read and
 * parse all of it before a handler could say "you may not". This `onRequest` hook runs after routing (so
 * the evaluation id is known) and before the body is touched: it resolves the actor from the session
 * cookie and checks the role, so an anonymous or non-organiser upload is refused with 401/403 while the
 * client is still sending. The refusal closes the connection, so the rest of the body is not read either.
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import type { Role } from "../../core/evaluation.ts";
import { requireEvaluation, requireRole, requireSignedIn } from "../guards.ts";
import { actorOf } from "./auth.ts";
import type { RouteDeps } from "./deps.ts";

/** An `onRequest` hook for routes under /api/evaluations/:id that only these roles may call. */
export function roleBeforeBody({ services, auth }: RouteDeps, roles: readonly Role[]): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const id = (request.params as { id?: unknown }).id;
    try {
      const actor = await actorOf(auth, request);
      request.actor = actor;
      // Who is asking comes first: an anonymous caller learns nothing about which evaluations exist.
      requireSignedIn(actor);
      const evaluation = await requireEvaluation(services.pool, typeof id === "string" ? id : "");
      await requireRole(services.pool, evaluation.id, actor, roles);
    } catch (error) {
      // The body has not been read; do not keep the connection for it.
      if (request.headers["content-length"] !== "0") reply.header("connection", "close");
      throw error;
    }
  };
}

/** Upload routes: only the evaluation's organisers, checked before the (up to 100 MiB) body is read. */
export function organiserBeforeBody(deps: RouteDeps): onRequestAsyncHookHandler {
  return roleBeforeBody(deps, ["organiser"]);
}
