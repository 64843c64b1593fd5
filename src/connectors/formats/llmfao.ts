/**
 * LLMFAO crowd comparisons (dustalov/llmfao crowd-comparisons.csv):
 * id,prompt,model_x,model_y,worker,winner,left,right. Workers saw System A = the `left` model
 * (the name of `model_x`) and System B = `right` (`model_y`); `winner` is left, right or tie.
 */
import { parse } from "csv-parse/sync";
import type { PairwiseOutcome } from "../../core/judgment.ts";
import { collapseComparisons } from "../../analytics/results/pairs.ts";
import type { Comparison } from "../../analytics/results/types.ts";
import type { PairwiseDataset } from "./dataset.ts";
import { malformed } from "./errors.ts";
import { SubjectIndex } from "./subjects.ts";

const WINNERS: Readonly<Record<string, PairwiseOutcome>> = { left: "a", right: "b", tie: "tie" };
const REQUIRED_COLUMNS = ["winner", "left", "right"] as const;

export function parseLlmfao(text: string): PairwiseDataset {
  const records = parseCsv(text);
  const subjects = new SubjectIndex();
  const comparisons: Comparison[] = records.map((record, k) => {
    const outcome = WINNERS[record.winner ?? ""];
    if (!outcome) throw malformed("llmfao", `row ${k + 2}: winner must be left, right or tie, got "${record.winner}"`);
    if (!record.left || !record.right) throw malformed("llmfao", `row ${k + 2}: empty left or right model`);
    const worker = record.worker;
    return { a: subjects.indexOf(record.left), b: subjects.indexOf(record.right), outcome, ...(worker ? { participant: worker } : {}) };
  });
  return { kind: "pairwise", format: "llmfao", input: { subjects: subjects.names, pairs: collapseComparisons(comparisons), comparisons }, ordered: true };
}

function parseCsv(text: string): Record<string, string>[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    throw malformed("llmfao", error instanceof Error ? error.message : String(error));
  }
  const first = records[0];
  if (!first) throw malformed("llmfao", "no comparison rows");
  const missing = REQUIRED_COLUMNS.filter((column) => !(column in first));
  if (missing.length > 0) throw malformed("llmfao", `missing column(s) ${missing.join(", ")}`);
  return records;
}
