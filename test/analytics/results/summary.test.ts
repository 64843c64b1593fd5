import assert from "node:assert/strict";
import { test } from "node:test";
import { overlapTiers, summariseResults, type SummaryInput } from "../../../src/analytics/results/summary.ts";
import type { RuleResult, SubjectResult } from "../../../src/analytics/results/types.ts";

const subject = (name: string, score: number, lower: number | null, upper: number | null, rank = 1): SubjectResult => ({ name, score, lower, upper, rank });
const rule = (name: RuleResult["rule"], subjects: SubjectResult[]): RuleResult => ({ rule: name, parameters: {}, assumption: "", used: 100, excluded: [], components: [], warnings: [], subjects });

const base: SummaryInput = { k: 10, rules: [], suppressedRules: [], people: { pairwise: 40 }, pairwiseJudgments: 500, sensitivity: [], excluded: [], communities: null };

test("tiers: a subject joins the tier whose first subject's lower bound its interval reaches; no interval stands alone", () => {
  const tiers = overlapTiers([subject("A", 10, 8, 12), subject("B", 9, 7, 11), subject("C", 5, 4, 7.9), subject("D", 4.5, 3, 6), subject("E", 1, null, null), subject("F", 0.5, 0, 2)]);
  assert.deepEqual(tiers, [["A", "B"], ["C", "D"], ["E"], ["F"]]);
});

test("a clear leader is said to be clear; a rule with another first subject is named", () => {
  const bt = rule("bt", [subject("A", 10, 9, 11), subject("B", 5, 4, 6), subject("C", 4, 3, 5)]);
  const counting = rule("counting", [subject("B", 30, null, null), subject("A", 29, null, null), subject("C", 1, null, null)]);
  const summary = summariseResults({ ...base, rules: [bt, counting], sensitivity: [{ rules: ["bt", "counting"], tau: 0.33, flippedCount: 1 }] });
  assert.equal(summary.certainty, "clear");
  assert.deepEqual(summary.tiers, [{ subjects: ["A"] }, { subjects: ["B", "C"] }]);
  assert.deepEqual(summary.text, [
    "A leads under Bradley–Terry, and the lead is clear: no other subject's 95% interval overlaps its own.",
    "The 3 subjects fall into 2 groups: within a group the order is uncertain, between groups it is not.",
    "40 people compared answers two at a time (500 judgments counted).",
    "Counting puts B first instead, outside the leading group.",
    "Bradley–Terry and Counting disagree most: 1 pair of subjects changes places between them.",
  ]);
});

test("below k: no order, rules hidden for too few rankings, exclusions without counts, hidden communities counted only as communities", () => {
  const summary = summariseResults({
    ...base,
    people: { pairwise: 3, ranking: 1 },
    suppressedRules: [{ rule: "bt" }, { rule: "borda" }],
    excluded: [{ reason: "consent_lacks_aggregate", n: null }, { reason: "identity_leak", n: 12 }],
    communities: { suppressedGroups: 2, groups: [] },
  });
  assert.equal(summary.certainty, "none");
  assert.deepEqual(summary.sentences.map((s) => s.key), ["noneShown", "peopleFew.pairwise", "peopleFew.ranking", "notEnoughContributors", "notEnoughRankings", "communitiesHidden", "excludedHidden", "excluded"]);
  assert.ok(summary.text.every((line) => !/\b3\b|\b1 person/.test(line)), "no count below k is published");
  assert.equal(summary.text[4], "Borda count: not enough rankings yet (fewer than 10 people ranked), so it is not shown.");
  assert.equal(summary.text[7], "12 judgments were left out: an answer revealed which system wrote it.");
});
