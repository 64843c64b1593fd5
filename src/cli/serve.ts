import type { Command } from "commander";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { ensureDemo, DEMO_INVITATION } from "../modules/demo/service.ts";
import { buildServer, WEB_APP_MISSING } from "../app.ts";
import { sealLegacyEndpointKeys } from "../modules/judging/live-service.ts";
import { startResultsWorkers } from "../modules/results/rules-thread.ts";
import { createAuth } from "../platform/http/auth.ts";
import { liveSettingsFromEnv } from "../platform/live-settings.ts";
import { DATA_DIR_DEFAULT_NOTE, loadSecret, openRuntime, type Runtime } from "./runtime.ts";

const BUILT_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web-dist");
const DEFAULT_DRAIN_SECONDS = 10;

interface ServeOptions {
  port: string;
  host: string;
  dataDir?: string;
  demo: boolean;
}

/** Stops accepting connections and waits for the requests in flight, for at most `ms`; then cuts what is left. */
async function drain(app: FastifyInstance, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
  const outcome = await Promise.race([app.close().then(() => "drained" as const, () => "drained" as const), late]);
  clearTimeout(timer);
  if (outcome === "late") {
    process.stdout.write(`requests still running after ${ms / 1000} s: closing their connections\n`);
    app.server.closeAllConnections();
  }
}

/**
 * SIGTERM and SIGINT: drain the requests in flight (bounded), stop PostgreSQL, exit 0. A signal during
 * start-up waits for the database to be up, so that it is stopped rather than orphaned; repeated signals are ignored.
 */
function stopOnSignals(state: { app?: FastifyInstance; runtime: Promise<Runtime> }, drainMs: number): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping\n`);
    if (state.app) await drain(state.app, drainMs);
    const runtime = await state.runtime.catch(() => null);
    await runtime?.close().catch(() => undefined);
    process.stdout.write("stopped\n");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

function drainMilliseconds(): number {
  const seconds = Number(process.env.COUNTERPUBLIC_DRAIN_SECONDS ?? DEFAULT_DRAIN_SECONDS);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_DRAIN_SECONDS * 1000;
}

async function serve(opts: ServeOptions): Promise<void> {
  const state: { app?: FastifyInstance; runtime: Promise<Runtime> } = { runtime: openRuntime({ dataDir: opts.dataDir }) };
  stopOnSignals(state, drainMilliseconds());
  const runtime = await state.runtime;
  const secret = loadSecret(runtime.dataDir);
  // the operator's settings for live subjects (outbound addresses, models folder) are read here, once
  const services = { pool: runtime.pool, secret, live: liveSettingsFromEnv(process.env) };
  await sealLegacyEndpointKeys(services);
  const port = Number(opts.port);
  const baseURL = process.env.COUNTERPUBLIC_URL ?? `http://${opts.host === "0.0.0.0" ? "localhost" : opts.host}:${port}`;
  const auth = createAuth(runtime.pool, { secret, baseURL, trustedOrigins: [baseURL, `http://localhost:${port}`] });
  const webDir = path.resolve(process.env.COUNTERPUBLIC_WEB_DIR ?? BUILT_WEB_DIR);
  if (!existsSync(path.join(webDir, "index.html"))) process.stdout.write(`${WEB_APP_MISSING}\n`);
  state.app = await buildServer({ services, auth, webDir, ...httpSettingsFromEnv(process.env) });
  if (opts.demo) {
    const demo = await ensureDemo(services);
    if (demo) process.stdout.write(`demo evaluation "${demo.slug}": ${JSON.stringify(demo.counts)}\n`);
  }
  await state.app.listen({ port, host: opts.host });
  // a failed warm-up is not fatal: the workers start again on the first results request
  startResultsWorkers().catch(() => undefined);
  process.stdout.write(`Counterpublic is serving on ${baseURL}\n`);
  if (opts.demo) process.stdout.write(`join the demo: ${baseURL}/join/${DEMO_INVITATION}\n`);
}

export function register(program: Command): void {
  program
    .command("serve")
    .description("start the server (embedded PostgreSQL unless DATABASE_URL is set)")
    .option("--port <port>", "HTTP port", process.env.PORT ?? "3000")
    .option("--host <host>", "address to listen on", process.env.HOST ?? "127.0.0.1")
    .option("--data-dir <dir>", "where the embedded PostgreSQL keeps its data" + DATA_DIR_DEFAULT_NOTE)
    .option("--demo", "make sure the demo evaluation exists before serving", false)
    .action((opts: ServeOptions) => serve(opts));
}

/** The HTTP settings an operator sets in the environment (README, "Configuration"). */
function httpSettingsFromEnv(env: NodeJS.ProcessEnv) {
  return {
    rateLimit: Number(env.COUNTERPUBLIC_RATE_LIMIT ?? 600),
    ...(env.COUNTERPUBLIC_ACCOUNT_RATE_LIMIT ? { accountRateLimit: Number(env.COUNTERPUBLIC_ACCOUNT_RATE_LIMIT) } : {}),
    ...(env.COUNTERPUBLIC_TRUST_PROXY ? { trustProxy: env.COUNTERPUBLIC_TRUST_PROXY } : {}),
    logger: { level: env.COUNTERPUBLIC_LOG_LEVEL ?? "info" },
  };
}
