import { parse } from "csv-parse/sync";
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { PairwiseOutcome } from "../../core/judgment.ts";
import { ImportError, readJsonLines } from "./common.ts";

const promptSchema = z.object({ id: z.number().int(), text: z.string(), type: z.string().nullish(), slug: z.string().nullish() });
const modelSchema = z.object({ id: z.number().int(), name: z.string(), org: z.string().nullish(), api_id: z.string().nullish() });
const resultSchema = z.object({ model: z.number().int(), prompt: z.number().int(), result: z.string(), duration: z.number().nullish() });
const comparisonSchema = z.object({
  id: z.string(),
  prompt: z.coerce.number().int(),
  model_x: z.coerce.number().int(),
  model_y: z.coerce.number().int(),
  worker: z.string().min(1),
  winner: z.enum(["left", "right", "tie"]),
});

export interface LlmfaoData {
  prompts: z.infer<typeof promptSchema>[];
  models: z.infer<typeof modelSchema>[];
  results: z.infer<typeof resultSchema>[];
  comparisons: { prompt: number; modelX: number; modelY: number; worker: string; outcome: PairwiseOutcome }[];
}

const OUTCOME: Readonly<Record<"left" | "right" | "tie", PairwiseOutcome>> = { left: "a", right: "b", tie: "tie" };

/** Reads crowd-comparisons.csv: model_x was shown on the left (side a), model_y on the right (side b). */
export function parseLlmfaoComparisons(csvText: string, source = "crowd-comparisons.csv"): LlmfaoData["comparisons"] {
  const records = parse(csvText, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return records.map((record, index) => {
    const parsed = comparisonSchema.safeParse(record);
    if (!parsed.success) throw ImportError.fromZod(source, index + 2, parsed.error);
    const r = parsed.data;
    return { prompt: r.prompt, modelX: r.model_x, modelY: r.model_y, worker: r.worker, outcome: OUTCOME[r.winner] };
  });
}

export function readLlmfaoFolder(dir: string): LlmfaoData {
  const file = (name: string) => readFileSync(path.join(dir, name), "utf8");
  return {
    prompts: readJsonLines(file("prompts.jsonl"), promptSchema, "prompts.jsonl"),
    models: readJsonLines(file("models.jsonl"), modelSchema, "models.jsonl"),
    results: readJsonLines(file("results.jsonl"), resultSchema, "results.jsonl"),
    comparisons: parseLlmfaoComparisons(file("crowd-comparisons.csv")),
  };
}
