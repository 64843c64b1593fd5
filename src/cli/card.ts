import type { Command } from "commander";
import { buildCard, cardMarkdown } from "../modules/card/service.ts";
import { NOBODY } from "../platform/guards.ts";
import { runCommand } from "./io.ts";
import { DATA_DIR_DEFAULT_NOTE, openRuntime } from "./runtime.ts";

export function register(program: Command): void {
  program
    .command("card <evaluation>")
    .description("the evaluation card: charter, participation, rules and results, dissent, demands, decisions, consent, labour, exports")
    .option("--json", "the card as JSON instead of Markdown", false)
    .option("--data-dir <dir>", "embedded PostgreSQL data folder" + DATA_DIR_DEFAULT_NOTE)
    .action((evaluation: string, opts: { json: boolean; dataDir?: string }) =>
      runCommand(async () => {
        const runtime = await openRuntime({ dataDir: opts.dataDir });
        try {
          const services = { pool: runtime.pool };
          process.stdout.write(opts.json ? `${JSON.stringify(await buildCard(services, NOBODY, evaluation), null, 2)}\n` : await cardMarkdown(services, NOBODY, evaluation));
        } finally {
          await runtime.close();
        }
      }),
    );
}
