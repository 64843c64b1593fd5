/** Rows of (item, subject, response): items keyed by their text or id, subjects by name. */
import type { ImportedOutput } from "../formats/outputs.ts";
import type { ImportBatch } from "./batch.ts";

export function outputsBatch(rows: readonly ImportedOutput[]): ImportBatch {
  const items = [...new Map(rows.map((r) => [r.item, { ref: r.item, prompt: typeof r.extra.prompt === "string" ? r.extra.prompt : r.item }])).values()];
  const subjects = [...new Set(rows.map((r) => r.subject))].map((name) => ({ name }));
  return {
    items,
    subjects,
    responses: rows.map((r) => ({ itemRef: r.item, subject: r.subject, text: r.response, meta: { ...r.extra } })),
    consentScopes: ["aggregate"],
  };
}
