/** Every importable file format, turned into one ImportBatch. */
import { parseDataset } from "../../connectors/formats/index.ts";
import { parseOutputs } from "../../connectors/formats/outputs.ts";
import type { ImportBatch } from "./service.ts";
import { ImportError } from "../../connectors/importers/common.ts";
import { oasstBatch } from "../../connectors/importers/oasst.ts";

export const IMPORT_FORMATS = ["fastchat", "llmfao", "oasst", "outputs-jsonl", "outputs-csv"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export function batchFromText(format: ImportFormat, text: string, source: string = format): ImportBatch {
  switch (format) {
    case "oasst":
      return oasstBatch(text, source);
    case "outputs-jsonl":
    case "outputs-csv":
      return outputsBatch(text, format === "outputs-jsonl" ? "jsonl" : "csv");
    case "fastchat":
    case "llmfao":
      return pairwiseBatch(format, text);
  }
}

/** Rows of (item, subject, response): items keyed by their text or id, subjects by name. */
function outputsBatch(text: string, format: "jsonl" | "csv"): ImportBatch {
  const rows = parseOutputs(text, format);
  const items = [...new Map(rows.map((r) => [r.item, { ref: r.item, prompt: typeof r.extra.prompt === "string" ? r.extra.prompt : r.item }])).values()];
  const subjects = [...new Set(rows.map((r) => r.subject))].map((name) => ({ name }));
  return {
    items,
    subjects,
    responses: rows.map((r) => ({ itemRef: r.item, subject: r.subject, text: r.response, meta: { ...r.extra } })),
    consentScopes: ["aggregate"],
  };
}

function pairwiseBatch(format: "fastchat" | "llmfao", text: string): ImportBatch {
  const dataset = parseDataset(format, text);
  if (dataset.kind !== "pairwise") throw new ImportError(format, null, "this file holds no pairwise judgments");
  const names = dataset.input.subjects;
  return {
    pairwise: (dataset.input.comparisons ?? []).map((c) => ({
      participant: c.participant ?? "imported",
      itemRef: null,
      subjectA: names[c.a] ?? "",
      subjectB: names[c.b] ?? "",
      outcome: c.outcome,
    })),
    consentScopes: ["aggregate"],
  };
}
