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

/**
 * Who stands behind a contribution (a judgment, an abstention or contest reason, a participant-written
 * item, a statement, a vote):
 * - `participant`: a person of this evaluation; their consent AS IT STANDS NOW decides (revocation reaches back);
 * - `imported`: brought in from another source (e.g. a Polis export) under the scopes its contributors gave there,
 *   fixed at import time (unknown scopes: nothing);
 * - `organiser`: written by the sponsor's side, who is not a contributor and needs no consent.
 */
export type ContributionAuthor = "participant" | "imported" | "organiser";

export interface Contribution {
  readonly author: ContributionAuthor;
}

/**
 * THE consent rule for every use of a contribution: results and every public view use `aggregate`, an export
 * uses its scope. `consentScopes` are the participant's current scopes (null when none is recorded) or the
 * scopes an import was made under. The SQL twin is `mayUseSql` in src/platform/consent-sql.ts.
 */
export function mayUse(contribution: Contribution, consentScopes: readonly string[] | null | undefined, use: ConsentScope): boolean {
  if (contribution.author === "organiser") return true;
  return consentScopes != null && covers(consentScopes, use);
}

/** The use every public view of this evaluation (results, items, statements, dissent, the card) makes of a contribution. */
export const PUBLIC_VIEW_USE: ConsentScope = "aggregate";
