import type { Command } from "commander";
import { ensureDemo } from "../modules/demo/service.ts";
import { DATA_DIR_DEFAULT_NOTE, openRuntime } from "./runtime.ts";

export function register(program: Command): void {
  program
    .command("migrate")
    .description("apply the database migrations and exit")
    .option("--data-dir <dir>", "embedded PostgreSQL data folder" + DATA_DIR_DEFAULT_NOTE)
    .action(async (opts: { dataDir?: string }) => {
      const runtime = await openRuntime({ dataDir: opts.dataDir });
      await runtime.close();
      process.stdout.write("the schema is up to date\n");
    });

  program
    .command("demo")
    .description("build the demo evaluation from the LLMFAO data (idempotent)")
    .option("--data-dir <dir>", "embedded PostgreSQL data folder" + DATA_DIR_DEFAULT_NOTE)
    .action(async (opts: { dataDir?: string }) => {
      const runtime = await openRuntime({ dataDir: opts.dataDir });
      try {
        const demo = await ensureDemo({ pool: runtime.pool });
        process.stdout.write(`demo evaluation "${demo?.slug}": ${JSON.stringify(demo?.counts)}\n`);
      } finally {
        await runtime.close();
      }
    });
}
