import type { Command } from "commander";
import { accessSync, constants, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { AppError } from "../core/errors.ts";
import { EXPORT_SCOPES } from "../core/consent.ts";
import type { ImportBatch } from "../connectors/importers/batch.ts";
import { batchFromText, IMPORT_FORMATS, type ImportFormat } from "../connectors/importers/index.ts";
import { llmfaoBatch } from "../connectors/importers/llmfao.ts";
import { readLlmfaoFolder } from "../connectors/formats/llmfao.ts";
import { exportEvaluation } from "../modules/exports/service.ts";
import { EXPORT_FORMATS } from "../contract/exports.ts";
import { exportBody } from "../contract/requests.ts";
import { importBatch } from "../modules/imports/service.ts";
import { runCommand, UsageError } from "./io.ts";
import { DATA_DIR_DEFAULT_NOTE, openRuntime } from "./runtime.ts";

/** A file in one of the import formats, or a whole llmfao folder, as an import batch. */
export async function batchFromPath(file: string, format: string): Promise<ImportBatch> {
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    if (format !== "llmfao") throw new UsageError("a folder can only be imported with --format llmfao");
    return llmfaoBatch(readLlmfaoFolder(file));
  }
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(", ")}`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  return batchFromText(format as ImportFormat, text, path.basename(file));
}

/** "no evaluation x" gains how to create one. */
function missingEvaluationHint(error: unknown, slug: string): unknown {
  if (!(error instanceof AppError) || error.code !== "not_found" || error.field !== "evaluation") return error;
  return new AppError("not_found", `${error.message}: create it with \`counterpublic new ${slug} --title … --organiser you@example.org\``, "evaluation");
}

/** The export request under the API's own contract (recipient, purpose, licence id), refused as the option that is wrong. */
function exportRequest(opts: { scope: string; recipient: string; purpose: string; format: string; licence?: string }) {
  const parsed = exportBody.safeParse({ scope: opts.scope, recipient: opts.recipient, purpose: opts.purpose, format: opts.format, ...(opts.licence !== undefined ? { licence: opts.licence } : {}) });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsageError(`--${String(issue?.path[0] ?? "scope")}: ${issue?.message ?? "invalid"}`);
}

/** The --out folder exists (made if missing) and can be written to. */
function assertWritableFolder(out: string): void {
  try {
    mkdirSync(out, { recursive: true });
    if (!statSync(out).isDirectory()) throw new Error("not a folder");
    accessSync(out, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out} is not a folder this command can write into`);
  }
}

export function register(program: Command): void {
  program
    .command("import <file>")
    .description("import into an evaluation: FastChat/Arena battles, the llmfao CSV or folder, OpenAssistant trees, or (item, subject, response) rows")
    .requiredOption("--evaluation <slug>", "the evaluation to import into")
    .requiredOption("--format <format>", IMPORT_FORMATS.join(" | "))
    .option("--data-dir <dir>", "embedded PostgreSQL data folder" + DATA_DIR_DEFAULT_NOTE)
    .action((file: string, opts: { evaluation: string; format: string; dataDir?: string }) =>
      runCommand(async () => {
        const batch = await batchFromPath(file, opts.format);
        const runtime = await openRuntime({ dataDir: opts.dataDir });
        try {
          const { items, subjects, responses, participants, judgments } = await importBatch({ pool: runtime.pool }, opts.evaluation, batch).catch((error: unknown) => {
            throw missingEvaluationHint(error, opts.evaluation);
          });
          process.stdout.write(`${JSON.stringify({ items, subjects, responses, participants, judgments })}\n`);
        } finally {
          await runtime.close();
        }
      }),
    );

  program
    .command("export <evaluation>")
    .description("export contributions through the audited export service (consent-filtered)")
    .requiredOption("--scope <scope>", EXPORT_SCOPES.join(" | "))
    .requiredOption("--recipient <name>", "who receives the data")
    .requiredOption("--purpose <text>", "what the data is for")
    .option("--format <format>", EXPORT_FORMATS.join(" | "), "jsonl")
    .option("--licence <id>", "licence of the dataset (Hugging Face licence id, e.g. cc-by-4.0)")
    .option("--out <dir>", "folder to write into", ".")
    .option("--operator <name>", "who runs the export (recorded in the audit log)", process.env.USER ?? "operator")
    .option("--data-dir <dir>", "embedded PostgreSQL data folder" + DATA_DIR_DEFAULT_NOTE)
    .action((evaluation: string, opts: { scope: string; recipient: string; purpose: string; format: string; licence?: string; out: string; operator: string; dataDir?: string }) =>
      runCommand(async () => {
        if (!(EXPORT_SCOPES as readonly string[]).includes(opts.scope)) throw new UsageError(`--scope must be one of ${EXPORT_SCOPES.join(", ")}`);
        if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(", ")}`);
        const request = exportRequest(opts);
        // before the export is made: it is in the audit log from then on, so it must not fail to be written
        assertWritableFolder(opts.out);
        const runtime = await openRuntime({ dataDir: opts.dataDir });
        try {
          const result = await exportEvaluation({ pool: runtime.pool }, { kind: "operator", name: opts.operator }, evaluation, request);
          for (const file of result.files) {
            const target = path.join(opts.out, file.path);
            mkdirSync(path.dirname(target), { recursive: true });
            writeFileSync(target, file.content);
          }
          process.stdout.write(`${JSON.stringify({ export: result.record.id, included: result.record.included_count, excluded: result.record.excluded, files: result.files.map((f) => f.path) })}\n`);
        } finally {
          await runtime.close();
        }
      }),
    );
}
