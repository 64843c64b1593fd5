/** A pairwise dataset (FastChat battles, LLMFAO comparisons) as imported pairwise judgments, in file order. */
import type { PairwiseDataset } from "../formats/dataset.ts";
import type { ImportBatch } from "./batch.ts";

export function pairwiseBatch(dataset: PairwiseDataset): ImportBatch {
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
