/** `counterpublic new <slug>`: an evaluation with its charter, created by an organiser account, from the command line. */
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { createEvaluationBody } from "../contract/requests.ts";
import { createEvaluation } from "../modules/evaluations/service.ts";
import { createAuth, findOrCreateAccount } from "../platform/http/auth.ts";
import { runCommand, UsageError } from "./io.ts";
import { DATA_DIR_DEFAULT_NOTE, loadSecret, openRuntime } from "./runtime.ts";

interface NewOptions {
  title: string;
  question?: string;
  charter?: string;
  organiser: string;
  organiserName?: string;
  dataDir?: string;
}

/** The charter file as data (JSON or YAML by extension); no file means the charter's defaults plus purpose and sponsor. */
function readCharter(file: string | undefined, title: string, organiser: string): unknown {
  if (!file) return { purpose: title, sponsor: organiser };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read the charter ${file}`);
  }
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the charter ${path.basename(file)} is not valid ${/\.ya?ml$/i.test(file) ? "YAML" : "JSON"}: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** The request the web app would send, checked by the same contract the API uses. */
function validInput(slug: string, opts: NewOptions) {
  // better-auth would refuse it only after the database is up, as a failure (exit 1) rather than bad input
  if (!z.email().safeParse(opts.organiser).success) throw new UsageError(`--organiser must be an e-mail address, not "${opts.organiser}"`);
  const parsed = createEvaluationBody.safeParse({ slug, title: opts.title, ...(opts.question ? { question: opts.question } : {}), charter: readCharter(opts.charter, opts.title, opts.organiser) });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join(".") : "input";
  throw new UsageError(`invalid ${field}: ${issue?.message ?? "rejected"}`);
}

export function register(program: Command): void {
  program
    .command("new <slug>")
    .description("create an evaluation with its charter; the organiser account is found or created by email")
    .requiredOption("--title <title>", "the evaluation's title")
    .requiredOption("--organiser <email>", "the organiser's email (a new account gets a password, printed once)")
    .option("--charter <file>", "the charter as JSON or YAML (default: the standard charter with the title as purpose)")
    .option("--question <text>", "the question participants answer")
    .option("--organiser-name <name>", "the organiser's display name for a new account")
    .option("--data-dir <dir>", "embedded PostgreSQL data folder" + DATA_DIR_DEFAULT_NOTE)
    .action((slug: string, opts: NewOptions) =>
      runCommand(async () => {
        const input = validInput(slug, opts);
        const runtime = await openRuntime({ dataDir: opts.dataDir });
        try {
          const auth = createAuth(runtime.pool, { secret: loadSecret(runtime.dataDir), baseURL: process.env.COUNTERPUBLIC_URL ?? "http://localhost:3000" });
          const account = await findOrCreateAccount(auth, { email: opts.organiser, name: opts.organiserName ?? opts.organiser.split("@")[0] ?? opts.organiser });
          const { evaluation } = await createEvaluation({ pool: runtime.pool }, { userId: account.userId, isAnonymous: account.isAnonymous }, input);
          process.stdout.write(`created evaluation "${evaluation.slug}" (${evaluation.id}), organised by ${opts.organiser}\n`);
          if (account.password) process.stdout.write(`new account ${opts.organiser}, password (shown once): ${account.password}\n`);
        } finally {
          await runtime.close();
        }
      }),
    );
}
