/**
 * The results in plain words: who leads, how sure (tiers of subjects whose 95% intervals overlap, rather than
 * one shared "rank 1"), where rules and communities disagree, how many people took part and what was left out.
 * Pure: it reads only figures already gated by k (hidden rules arrive as names, people counts below k are only
 * ever compared with k), and returns sentence keys with values plus their English text.
 */
import { contributorMarker } from "../../core/k-anonymity.ts";
import { englishSentence, type SummarySentence, type SummaryTopic } from "../../core/results-summary-text.ts";
import type { RuleResult, SubjectResult } from "./types.ts";

export type JudgmentKind = "pairwise" | "ranking" | "rating";

export interface SummaryInput {
  readonly k: number;
  /** rules shown (each fed by at least k people), best subject first */
  readonly rules: readonly RuleResult[];
  /** rules hidden for having fewer than k contributors */
  readonly suppressedRules: readonly { readonly rule: string }[];
  /** distinct people per judgment kind (compared with k before any is published) */
  readonly people: Readonly<Partial<Record<JudgmentKind, number>>>;
  /** counted pairwise judgments */
  readonly pairwiseJudgments: number;
  readonly sensitivity: readonly { readonly rules: readonly [string, string]; readonly tau: number | null; readonly flippedCount: number }[];
  /** judgments left out, per reason; n is null when fewer than k people are behind it */
  readonly excluded: readonly { readonly reason: string; readonly n: number | null }[];
  readonly communities: null | { readonly suppressedGroups: number; readonly groups: readonly { readonly community: string; readonly rules: readonly RuleResult[] }[] };
}

export type Certainty = "clear" | "uncertain" | "unknown" | "none";

export interface ResultsSummary {
  /** the rule the headline is read from: Bradley–Terry when shown with intervals */
  readonly leadRule: string | null;
  readonly certainty: Certainty;
  /** the lead rule's subjects in groups the data cannot order within (empty without intervals) */
  readonly tiers: readonly { readonly subjects: readonly string[] }[];
  readonly sentences: readonly SummarySentence[];
  /** the sentences in English, in the same order (for the CLI and the card) */
  readonly text: readonly string[];
}

const RANKING_RULES: ReadonlySet<string> = new Set(["borda", "ranked-pairs"]);
const KINDS: readonly JudgmentKind[] = ["pairwise", "ranking", "rating"];
const NAMED_LEADERS = 5;
const NAMED_COMMUNITIES = 6;

const hasInterval = (s: SubjectResult) => s.lower !== null && s.upper !== null;

/**
 * Greedy tiers down the order: a tier opens with the best subject not yet placed and takes every following
 * subject whose interval reaches that subject's lower bound. A subject without an interval stands alone.
 */
export function overlapTiers(subjects: readonly SubjectResult[]): string[][] {
  const tiers: string[][] = [];
  let i = 0;
  while (i < subjects.length) {
    const head = subjects[i] as SubjectResult;
    const tier = [head.name];
    let j = i + 1;
    while (j < subjects.length) {
      const next = subjects[j] as SubjectResult;
      if (!hasInterval(head) || !hasInterval(next) || (next.upper as number) < (head.lower as number)) break;
      tier.push(next.name);
      j++;
    }
    tiers.push(tier);
    i = j;
  }
  return tiers;
}

function leadRuleOf(rules: readonly RuleResult[]): RuleResult | undefined {
  const withIntervals = (r: RuleResult) => r.subjects.length > 0 && r.subjects.every(hasInterval);
  return rules.find((r) => r.rule === "bt" && withIntervals(r)) ?? rules.find(withIntervals) ?? rules.find((r) => r.subjects.length > 0);
}

type Say = (topic: SummaryTopic, key: SummarySentence["key"], values?: SummarySentence["values"]) => void;

function leadSentences(say: Say, lead: RuleResult, tiers: readonly string[][]): Certainty {
  const first = lead.subjects[0] as SubjectResult;
  if (tiers.length === 0) {
    say("lead", "leaderNoInterval", { subject: first.name, rule: lead.rule });
    return "unknown";
  }
  const top = tiers[0] ?? [];
  if (top.length === 1) say("lead", "leaderClear", { subject: first.name, rule: lead.rule });
  else if (top.length <= NAMED_LEADERS) say("lead", "sharedLead", { count: top.length, rule: lead.rule, subjects: top });
  else say("lead", "sharedLeadMore", { count: top.length, rule: lead.rule, subjects: top.slice(0, NAMED_LEADERS), more: top.length - NAMED_LEADERS });
  say("lead", "tiers", { count: tiers.length, subjects: lead.subjects.length });
  return top.length === 1 ? "clear" : "uncertain";
}

function peopleSentences(say: Say, input: SummaryInput): void {
  for (const kind of KINDS) {
    const people = input.people[kind] ?? 0;
    if (people === 0) continue;
    if (contributorMarker(people, input.k)) say("people", `peopleFew.${kind}`, { k: input.k });
    else say("people", `people.${kind}`, kind === "pairwise" ? { count: people, judgments: input.pairwiseJudgments } : { count: people });
  }
}

function ruleSentences(say: Say, input: SummaryInput, lead: RuleResult | undefined, leading: ReadonlySet<string>): void {
  const others = input.rules.filter((r) => r !== lead && r.subjects.length > 0);
  if (lead && others.length > 0) {
    const firsts = others.map((r) => ({ rule: r.rule, subject: (r.subjects[0] as SubjectResult).name }));
    const leader = (lead.subjects[0] as SubjectResult).name;
    const outside = firsts.filter((f) => !leading.has(f.subject));
    if (firsts.every((f) => f.subject === leader)) say("rules", "rulesAgree");
    else if (outside.length === 0) say("rules", "rulesAgreeTier");
    for (const f of outside) say("rules", "ruleDiffers", { rule: f.rule, subject: f.subject });
    const worst = [...input.sensitivity].filter((c) => c.tau !== null && c.flippedCount > 0).sort((a, b) => (a.tau as number) - (b.tau as number))[0];
    if (worst) say("rules", "rulesDisagree", { ruleA: worst.rules[0], ruleB: worst.rules[1], count: worst.flippedCount });
  }
  const rankingsExist = (input.people.ranking ?? 0) > 0;
  for (const hidden of input.suppressedRules) {
    say("rules", RANKING_RULES.has(hidden.rule) && rankingsExist ? "notEnoughRankings" : "notEnoughContributors", { rule: hidden.rule, k: input.k });
  }
}

function communitySentences(say: Say, input: SummaryInput, lead: RuleResult | undefined, leading: ReadonlySet<string>): void {
  const communities = input.communities;
  if (!communities) return;
  if (lead) {
    for (const group of communities.groups.slice(0, NAMED_COMMUNITIES)) {
      const first = group.rules.find((r) => r.rule === lead.rule)?.subjects[0];
      if (first) say("communities", leading.has(first.name) ? "communityAgrees" : "communityDiffers", { community: group.community, subject: first.name });
    }
  }
  if (communities.suppressedGroups > 0) say("communities", "communitiesHidden", { count: communities.suppressedGroups, k: input.k });
}

function excludedSentences(say: Say, input: SummaryInput): void {
  for (const row of input.excluded) {
    if (row.n === null) say("excluded", "excludedHidden", { reason: row.reason, k: input.k });
    else if (row.n > 0) say("excluded", "excluded", { count: row.n, reason: row.reason });
  }
}

export function summariseResults(input: SummaryInput): ResultsSummary {
  const sentences: SummarySentence[] = [];
  const say: Say = (topic, key, values = {}) => void sentences.push({ topic, key, values });
  const lead = leadRuleOf(input.rules);
  const tiers = lead && lead.subjects.every(hasInterval) ? overlapTiers(lead.subjects) : [];
  let certainty: Certainty = "none";
  if (lead) certainty = leadSentences(say, lead, tiers);
  else say("lead", "noneShown", { k: input.k });
  const leading = new Set(tiers[0] ?? (lead?.subjects[0] ? [lead.subjects[0].name] : []));
  peopleSentences(say, input);
  ruleSentences(say, input, lead, leading);
  communitySentences(say, input, lead, leading);
  excludedSentences(say, input);
  return {
    leadRule: lead?.rule ?? null,
    certainty,
    tiers: tiers.map((subjects) => ({ subjects })),
    sentences,
    text: sentences.map((sentence) => englishSentence(sentence)),
  };
}
