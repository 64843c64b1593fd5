import { readFileSync } from "node:fs";
import { Command, type CommanderError } from "commander";
import { failureLine } from "./failure.ts";

type CommandModule = { register: (program: Command) => void };

// Each command loads only its own modules: `analyze` never pays for Fastify, `--version` for nothing.
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  serve: () => import("./serve.ts"),
  migrate: () => import("./admin.ts"),
  demo: () => import("./admin.ts"),
  new: () => import("./new.ts"),
  import: () => import("./transfer.ts"),
  export: () => import("./transfer.ts"),
  analyze: () => import("./analyze.ts"),
  opinion: () => import("./opinion.ts"),
  results: () => import("./results.ts"),
  card: () => import("./card.ts"),
};

const VERSION_FLAGS = new Set(["-V", "--version"]);

/** The modules to load for these arguments: the named command's, none for --version, all for help or a typo. */
function modulesFor(args: readonly string[]): (() => Promise<CommandModule>)[] {
  const name = args.find((arg) => !arg.startsWith("-"));
  const loader = name === undefined ? undefined : COMMANDS[name];
  if (loader) return [loader];
  if (name === undefined && args.length > 0 && args.every((arg) => VERSION_FLAGS.has(arg))) return [];
  return [...new Set(Object.values(COMMANDS))];
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}

/** Commander's own refusals (a missing argument or required option, an unknown option or command) are bad input: exit code 2, as every other. */
function exitForParseError(error: CommanderError): never {
  process.exit(error.exitCode === 1 && error.code !== "commander.help" ? 2 : error.exitCode);
}

async function main(): Promise<void> {
  const program = new Command()
    .name("counterpublic")
    .description("Democratic evaluation of AI systems: serve, import, export, analyse")
    .version(packageVersion())
    .exitOverride(exitForParseError);
  const loaded = new Set<CommandModule>();
  for (const load of modulesFor(process.argv.slice(2))) {
    const module = await load();
    if (!loaded.has(module)) module.register(program);
    loaded.add(module);
  }
  await program.parseAsync(process.argv);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`${failureLine(error)}\n`);
  if (process.env.COUNTERPUBLIC_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}
