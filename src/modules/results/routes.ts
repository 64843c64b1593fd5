import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { BT_INTERVAL_METHODS } from "../../analytics/results/types.ts";
import { MAX_ANCHOR, parseAnchor } from "../../core/anchor.ts";
import { assertBootstrapAllowed, asksBeyondPublicBootstrap, MAX_BOOTSTRAP_ROUNDS, MAX_BOOTSTRAP_SEED } from "../../core/bootstrap-budget.ts";
import { requireReader, type Actor } from "../../platform/guards.ts";
import type { Services } from "../../platform/context.ts";
import { computeResults } from "./service.ts";
import type { RouteDeps } from "../../platform/http/deps.ts";
import { evaluationParams } from "../../contract/requests.ts";
import * as api from "../../contract/results.ts";
import { presentResults } from "./presenter.ts";

const resultsQuery = z.strictObject({
  rule: z.string().regex(/^[a-z-]+(,[a-z-]+)*$/, "comma-separated rule names").optional(),
  by: z.enum(["community"]).optional(),
  seed: z.coerce.number().int().min(0).max(MAX_BOOTSTRAP_SEED).optional(),
  rounds: z.coerce.number().int().min(0).max(MAX_BOOTSTRAP_ROUNDS).optional(),
  intervals: z.enum(BT_INTERVAL_METHODS).optional(),
  styleControl: z.enum(["true", "false"]).optional(),
  anchor: z.string().refine((text) => parseAnchor(text) !== null, `NAME=VALUE with |VALUE| ≤ ${MAX_ANCHOR}, e.g. mixtral-8x7b-instruct-v0.1=1114`).optional(),
});

async function readerRole(services: Services, actor: Actor, idOrSlug: string) {
  return (await requireReader(services.pool, idOrSlug, actor)).role;
}

export function resultsRoutes({ services }: RouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/evaluations/:id/results",
      { schema: { response: { 200: api.results }, tags: ["results"], summary: "Every rule side by side, with intervals, sensitivity, agreement, dissent and group views", params: evaluationParams, querystring: resultsQuery } },
      async (request) => {
        const { rule, by, seed, rounds, anchor, intervals, styleControl } = request.query;
        // Costly bootstraps (more rounds, uncached seeds) are for organisers and observers: core/bootstrap-budget.ts.
        if (asksBeyondPublicBootstrap({ rounds, seed })) assertBootstrapAllowed(await readerRole(services, request.actor, request.params.id), { rounds, seed });
        return presentResults(await computeResults(services, request.actor, request.params.id, {
          ...(rule ? { rules: rule.split(",") } : {}),
          ...(by ? { by } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(rounds !== undefined ? { rounds } : {}),
          ...(anchor ? { anchor: parseAnchor(anchor) ?? undefined } : {}),
          ...(intervals ? { intervals } : {}),
          ...(styleControl === "true" ? { styleControl: true } : {}),
        }));
      },
    );
  };
}
