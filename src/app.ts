/** The composition root: the platform's HTTP server with every module's routes. */
import type { FastifyInstance } from "fastify";
import { cardRoutes } from "./modules/card/routes.ts";
import { deliberationRoutes } from "./modules/deliberation/routes.ts";
import { dissentRoutes } from "./modules/dissent/routes.ts";
import { evaluationRoutes } from "./modules/evaluations/routes.ts";
import { exportRoutes } from "./modules/exports/routes.ts";
import { governanceRoutes } from "./modules/governance/routes.ts";
import { importRoutes } from "./modules/imports/routes.ts";
import { judgingRoutes } from "./modules/judging/routes.ts";
import { labourRoutes } from "./modules/labour/routes.ts";
import { liveRoutes } from "./modules/judging/live-routes.ts";
import { participationRoutes } from "./modules/participation/routes.ts";
import { resultsRoutes } from "./modules/results/routes.ts";
import { buildHttpServer, type ServerOptions } from "./platform/http/app.ts";

export { WEB_APP_MISSING } from "./platform/http/app.ts";
export type { ServerOptions };

export function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  return buildHttpServer(options, (deps) => [
    evaluationRoutes(deps),
    participationRoutes(deps),
    judgingRoutes(deps),
    liveRoutes(deps),
    resultsRoutes(deps),
    deliberationRoutes(deps),
    governanceRoutes(deps),
    dissentRoutes(deps),
    labourRoutes(deps),
    exportRoutes(deps),
    importRoutes(deps),
    cardRoutes(deps),
  ]);
}
