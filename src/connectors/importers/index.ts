/** Every importable file format: parsed by its one parser in ../formats, then mapped to an ImportBatch. */
import { parseFastchat } from "../formats/fastchat.ts";
import { parseLlmfao } from "../formats/llmfao.ts";
import { parseOutputs, type OutputsParseOptions } from "../formats/outputs.ts";
import type { ImportBatch } from "./batch.ts";
import { oasstBatch } from "./oasst.ts";
import { outputsBatch } from "./outputs.ts";
import { pairwiseBatch } from "./pairwise.ts";
import { IMPORT_FORMATS, type ImportFormat } from "../../contract/exports.ts";

/** The formats are declared in the contract, so the web app offers exactly these. */
export { IMPORT_FORMATS, type ImportFormat };

/** Which of a file's columns hold the item, the subject and the response (rows of outputs only). */
export type OutputColumns = OutputsParseOptions["columns"];

export function batchFromText(format: ImportFormat, text: string, source: string = format, columns?: OutputColumns): ImportBatch {
  switch (format) {
    case "oasst":
      return oasstBatch(text, source);
    case "outputs-jsonl":
      return outputsBatch(parseOutputs(text, "jsonl", columns ? { columns } : {}));
    case "outputs-csv":
      return outputsBatch(parseOutputs(text, "csv", columns ? { columns } : {}));
    case "fastchat":
      return pairwiseBatch(parseFastchat(text));
    case "llmfao":
      return pairwiseBatch(parseLlmfao(text));
  }
}
