/**
 * The plain-words summary of results: its sentence keys and their English wording. The server renders these
 * for the CLI and the card; the web app's English catalog is this same object (i18next syntax: {{name}}
 * placeholders, `_one`/`_other` plural forms chosen by `count`), so every surface says the same thing.
 *
 * Value conventions the renderers rely on: `rule`, `ruleA`, `ruleB` hold rule names (translated by the
 * reader), `reason` an exclusion code, `kind` a judgment kind, `subjects` a list of subject names, `subject`
 * and `community` user content (isolated from the surrounding direction by the web app).
 */
export const SUMMARY_TEXT = {
  leaderClear: "{{subject}} leads under {{rule}}, and the lead is clear: no other subject's 95% interval overlaps its own.",
  sharedLead_one: "{{count}} subject shares the lead under {{rule}}: {{subjects}}.",
  sharedLead_other: "{{count}} subjects share the lead under {{rule}}: {{subjects}}. Their 95% intervals overlap, so the data cannot tell them apart.",
  sharedLeadMore_one: "{{count}} subjects share the lead under {{rule}}: {{subjects}} and {{more}} more. Their 95% intervals overlap, so the data cannot tell them apart.",
  sharedLeadMore_other: "{{count}} subjects share the lead under {{rule}}: {{subjects}} and {{more}} more. Their 95% intervals overlap, so the data cannot tell them apart.",
  leaderNoInterval: "{{subject}} comes first under {{rule}}; this rule gives no interval, so how sure that is cannot be said.",
  tiers_one: "All {{subjects}} subjects form {{count}} group that the data cannot order.",
  tiers_other: "The {{subjects}} subjects fall into {{count}} groups: within a group the order is uncertain, between groups it is not.",
  noneShown: "No rule has enough contributors yet (at least {{k}} people each), so no order is shown.",
  people: {
    pairwise_one: "{{count}} person compared answers two at a time ({{judgments}} judgments counted).",
    pairwise_other: "{{count}} people compared answers two at a time ({{judgments}} judgments counted).",
    ranking_one: "{{count}} person ranked answers.",
    ranking_other: "{{count}} people ranked answers.",
    rating_one: "{{count}} person rated answers on the rubric.",
    rating_other: "{{count}} people rated answers on the rubric.",
  },
  peopleFew: {
    pairwise: "Fewer than {{k}} people compared answers two at a time, so nothing from those comparisons is shown.",
    ranking: "Fewer than {{k}} people ranked answers, so nothing from their rankings is shown.",
    rating: "Fewer than {{k}} people rated answers, so nothing from their ratings is shown.",
  },
  rulesAgree: "Every rule shown puts the same subject first.",
  rulesAgreeTier: "Every rule shown puts a subject from the leading group first.",
  ruleDiffers: "{{rule}} puts {{subject}} first instead, outside the leading group.",
  rulesDisagree_one: "{{ruleA}} and {{ruleB}} disagree most: {{count}} pair of subjects changes places between them.",
  rulesDisagree_other: "{{ruleA}} and {{ruleB}} disagree most: {{count}} pairs of subjects change places between them.",
  notEnoughRankings: "{{rule}}: not enough rankings yet (fewer than {{k}} people ranked), so it is not shown.",
  notEnoughContributors: "{{rule}}: not enough contributors yet (fewer than {{k}} people), so it is not shown.",
  communityAgrees: "The community {{community}} puts {{subject}} first, within the leading group of everyone.",
  communityDiffers: "The community {{community}} puts {{subject}} first, outside the leading group of everyone.",
  communitiesHidden_one: "{{count}} community has fewer than {{k}} people and is not shown.",
  communitiesHidden_other: "{{count}} communities have fewer than {{k}} people and are not shown.",
  excluded_one: "{{count}} judgment was left out: {{reason}}.",
  excluded_other: "{{count}} judgments were left out: {{reason}}.",
  excludedHidden: "Some judgments were left out ({{reason}}); fewer than {{k}} people are involved, so no count is shown.",
  reasons: {
    consent_lacks_aggregate: "their authors no longer allow counting in results",
    identity_leak: "an answer revealed which system wrote it",
    other: "another reason recorded with the judgment",
  },
  kinds: { pairwise: "comparisons", ranking: "rankings", rating: "ratings" },
} as const;

/** Keys without their plural suffix, as the summary's sentences name them (plus the nested people ones). */
export const SUMMARY_KEYS = [
  "leaderClear",
  "sharedLead",
  "sharedLeadMore",
  "leaderNoInterval",
  "tiers",
  "noneShown",
  "people.pairwise",
  "people.ranking",
  "people.rating",
  "peopleFew.pairwise",
  "peopleFew.ranking",
  "peopleFew.rating",
  "rulesAgree",
  "rulesAgreeTier",
  "ruleDiffers",
  "rulesDisagree",
  "notEnoughRankings",
  "notEnoughContributors",
  "communityAgrees",
  "communityDiffers",
  "communitiesHidden",
  "excluded",
  "excludedHidden",
] as const;
export type SummaryKey = (typeof SUMMARY_KEYS)[number];

export const EXCLUSION_REASON_KEYS = ["consent_lacks_aggregate", "identity_leak"] as const;

/** What a sentence is about: the page groups them under these headings. */
export const SUMMARY_TOPICS = ["lead", "people", "rules", "communities", "excluded"] as const;
export type SummaryTopic = (typeof SUMMARY_TOPICS)[number];

export type SummaryValue = string | number | readonly string[];
export interface SummarySentence {
  readonly topic: SummaryTopic;
  readonly key: SummaryKey;
  readonly values: Readonly<Record<string, SummaryValue>>;
}

/** Reads a dotted key with its plural form picked for `count` (English rules: one for 1, other otherwise). */
function template(key: SummaryKey, count: number | undefined): string {
  const [group, leaf] = key.includes(".") ? (key.split(".") as [string, string]) : [null, key];
  const table = (group ? SUMMARY_TEXT[group as "people"] : SUMMARY_TEXT) as Record<string, unknown>;
  const plural = count === undefined ? undefined : new Intl.PluralRules("en").select(count);
  const found = (plural !== undefined ? table[`${leaf}_${plural}`] ?? table[`${leaf}_other`] : undefined) ?? table[leaf];
  return typeof found === "string" ? found : key;
}

/** Rule names as the CLI and the card print them (the web app's English catalog says the same). */
export const RULE_LABELS: Readonly<Record<string, string>> = {
  bt: "Bradley–Terry",
  elo: "Online Elo",
  borda: "Borda count",
  "ranked-pairs": "Ranked pairs",
  "win-rate": "Win rate",
  counting: "Counting",
  "mean-rating": "Mean rating",
};

/** A full list joins with "and"; a list followed by "and N more" only with commas. */
const list = (names: readonly string[], open: boolean) => new Intl.ListFormat("en", open ? { style: "short", type: "unit" } : { style: "long", type: "conjunction" }).format(names);

/** The English sentence, with rule names given by `ruleName` (the server's names for the CLI and the card). */
export function englishSentence(sentence: SummarySentence, ruleName: (rule: string) => string = (rule) => RULE_LABELS[rule] ?? rule): string {
  const count = typeof sentence.values.count === "number" ? sentence.values.count : undefined;
  return template(sentence.key, count).replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = sentence.values[name];
    if (value === undefined) return "";
    if (typeof value === "number") return new Intl.NumberFormat("en").format(value);
    if (typeof value !== "string") return list(value, sentence.values.more !== undefined);
    if (name === "rule" || name === "ruleA" || name === "ruleB") return ruleName(value);
    if (name === "reason") return (SUMMARY_TEXT.reasons as Record<string, string>)[value] ?? SUMMARY_TEXT.reasons.other;
    return value;
  });
}
