/** What every importer produces: outputs and judgments from another system, keyed by the names and references they had there. */
import type { ConsentScope } from "../../core/consent.ts";
import type { SubjectKind } from "../../core/evaluation.ts";
import type { PairwiseOutcome } from "../../core/judgment.ts";

export interface ImportBatch {
  items?: { ref: string; title?: string; prompt: string; scenario?: Record<string, unknown> }[];
  subjects?: { name: string; kind?: SubjectKind; organisation?: string | null }[];
  responses?: { itemRef: string; subject: string; text: string; meta?: Record<string, unknown> }[];
  pairwise?: { participant: string; itemRef: string | null; subjectA: string; subjectB: string; outcome: PairwiseOutcome }[];
  /** rankings of an item's responses, best first, tie groups of subject names */
  rankings?: { participant: string; itemRef: string; order: string[][] }[];
  /** the scopes the source's contributors agreed to; imported judgments are counted only under these */
  consentScopes: ConsentScope[];
}
