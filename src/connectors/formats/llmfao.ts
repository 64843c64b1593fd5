/**
 * LLMFAO crowd comparisons (dustalov/llmfao crowd-comparisons.csv):
 * id,prompt,model_x,model_y,worker,winner,left,right. Workers saw System A = the `left` model
 * (the name of `model_x`) and System B = `right` (`model_y`); `winner` is left, right or tie.
 * The LLMFAO folder adds prompts.jsonl, models.jsonl and results.jsonl (the outputs compared).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import type { PairwiseOutcome } from "../../core/judgment.ts";
import { collapseComparisons } from "../../analytics/results/pairs.ts";
import type { Comparison } from "../../analytics/results/types.ts";
import type { PairwiseDataset } from "./dataset.ts";
import { firstIssue, malformed, parseJsonLines } from "./errors.ts";
import { SubjectIndex } from "./subjects.ts";

const WINNERS: Readonly<Record<string, PairwiseOutcome>> = { left: "a", right: "b", tie: "tie" };
const REQUIRED_COLUMNS = ["winner", "left", "right"] as const;
/** the folder's comparisons are keyed by prompt and model ids */
const FOLDER_COLUMNS = [...REQUIRED_COLUMNS, "prompt", "model_x", "model_y", "worker"] as const;

/** One crowd comparison: `left` (model_x) is side a, `right` (model_y) side b. Ids as written in the file. */
export interface LlmfaoComparison {
  readonly prompt: string;
  readonly modelX: string;
  readonly modelY: string;
  readonly left: string;
  readonly right: string;
  readonly worker: string;
  readonly outcome: PairwiseOutcome;
}

/** The one parser of crowd-comparisons.csv. */
function parseLlmfaoComparisons(text: string, required: readonly string[] = REQUIRED_COLUMNS): LlmfaoComparison[] {
  return parseCsv(text, required).map((record, k) => {
    const outcome = WINNERS[record.winner ?? ""];
    if (!outcome) throw malformed("llmfao", `row ${k + 2}: winner must be left, right or tie, got "${record.winner}"`);
    if (!record.left || !record.right) throw malformed("llmfao", `row ${k + 2}: empty left or right model`);
    if (required.includes("worker") && !record.worker) throw malformed("llmfao", `row ${k + 2}: empty worker`);
    const cell = (column: string) => record[column] ?? "";
    return { prompt: cell("prompt"), modelX: cell("model_x"), modelY: cell("model_y"), left: record.left, right: record.right, worker: cell("worker"), outcome };
  });
}

export function parseLlmfao(text: string): PairwiseDataset {
  const subjects = new SubjectIndex();
  const comparisons: Comparison[] = parseLlmfaoComparisons(text).map((c) => ({
    a: subjects.indexOf(c.left),
    b: subjects.indexOf(c.right),
    outcome: c.outcome,
    ...(c.worker ? { participant: c.worker } : {}),
  }));
  return { kind: "pairwise", format: "llmfao", input: { subjects: subjects.names, pairs: collapseComparisons(comparisons), comparisons }, ordered: true };
}

function parseCsv(text: string, required: readonly string[]): Record<string, string>[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    throw malformed("llmfao", error instanceof Error ? error.message : String(error));
  }
  const first = records[0];
  if (!first) throw malformed("llmfao", "no comparison rows");
  const missing = required.filter((column) => !(column in first));
  if (missing.length > 0) throw malformed("llmfao", `missing column(s) ${missing.join(", ")}`);
  return records;
}

const promptSchema = z.object({ id: z.number().int(), text: z.string(), type: z.string().nullish(), slug: z.string().nullish() });
const modelSchema = z.object({ id: z.number().int(), name: z.string(), org: z.string().nullish(), api_id: z.string().nullish() });
const resultSchema = z.object({ model: z.number().int(), prompt: z.number().int(), result: z.string(), duration: z.number().nullish() });

/** The whole LLMFAO folder: the prompts, the models, their outputs and the crowd's comparisons of them. */
export interface LlmfaoFolder {
  prompts: z.infer<typeof promptSchema>[];
  models: z.infer<typeof modelSchema>[];
  results: z.infer<typeof resultSchema>[];
  comparisons: LlmfaoComparison[];
}

export function readLlmfaoFolder(dir: string): LlmfaoFolder {
  const file = (name: string) => readFileSync(path.join(dir, name), "utf8");
  return {
    prompts: jsonlRows(file("prompts.jsonl"), promptSchema, "prompts.jsonl"),
    models: jsonlRows(file("models.jsonl"), modelSchema, "models.jsonl"),
    results: jsonlRows(file("results.jsonl"), resultSchema, "results.jsonl"),
    comparisons: parseLlmfaoComparisons(file("crowd-comparisons.csv"), FOLDER_COLUMNS),
  };
}

function jsonlRows<T>(text: string, schema: z.ZodType<T>, file: string): T[] {
  return parseJsonLines(`llmfao ${file}`, text).map(({ line, value }) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw malformed(`llmfao ${file}`, `line ${line}: ${firstIssue(parsed.error.issues)}`);
    return parsed.data;
  });
}
