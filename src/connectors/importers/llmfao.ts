/** The LLMFAO folder as Counterpublic material: prompts as items, models as subjects, their outputs, the crowd's comparisons. */
import { titleFromPrompt } from "../../core/response-text.ts";
import type { LlmfaoFolder } from "../formats/llmfao.ts";
import type { ImportBatch } from "./batch.ts";

export function llmfaoBatch(data: LlmfaoFolder): ImportBatch {
  const modelById = new Map(data.models.map((m) => [String(m.id), m]));
  const name = (id: number | string) => modelById.get(String(id))?.name ?? `model-${id}`;
  const answered = new Set(data.results.map((r) => r.model));
  return {
    items: data.prompts.map((p) => ({ ref: String(p.id), title: titleFromPrompt(p.text), prompt: p.text })),
    subjects: data.models.filter((m) => answered.has(m.id)).map((m) => ({ name: m.name, kind: "model", organisation: m.org ?? null })),
    responses: data.results.map((r) => ({ itemRef: String(r.prompt), subject: name(r.model), text: r.result, meta: { durationMs: r.duration ?? null } })),
    pairwise: data.comparisons.map((c) => ({
      participant: `llmfao-worker-${c.worker}`,
      itemRef: c.prompt,
      subjectA: name(c.modelX),
      subjectB: name(c.modelY),
      outcome: c.outcome,
    })),
    consentScopes: ["aggregate"],
  };
}
