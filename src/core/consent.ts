/** Consent scopes a charter may offer. `aggregate` covers counting a contribution in results. */
export const CONSENT_SCOPES = ["aggregate", "publish", "research", "train_ai", "commercial"] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];
/** Scopes an export may name (aggregate is not an export: it is the results' own use). */
export const EXPORT_SCOPES = ["publish", "research", "train_ai", "commercial"] as const;
export type ExportScope = (typeof EXPORT_SCOPES)[number];

export const SCOPE_EXPLANATIONS: Readonly<Record<ConsentScope, string>> = {
  aggregate: "Count my judgments in this evaluation's published results (only aggregates, never my individual answers).",
  publish: "Publish my individual, pseudonymised contributions as an open dataset.",
  research: "Share my pseudonymised contributions with named researchers for non-commercial research.",
  train_ai: "Allow my contributions to be used to train or fine-tune AI systems.",
  commercial: "Allow commercial use of my contributions by the sponsor or others.",
};

export function covers(granted: readonly string[], scope: ConsentScope): boolean {
  return granted.includes(scope);
}
