/**
 * The evaluation card (principle 7), built from the data: charter versions, participation (communities below k
 * hidden), the rules and their results (from `computeResults`), dissent, demands, decisions, consent, labour
 * and exports. JSON and Markdown come from the same `EvaluationCard` model.
 */
import { RULE_ASSUMPTIONS } from "../../analytics/results/sensitivity.ts";
import { RULE_NAMES, type RuleName, type RuleResult } from "../../analytics/results/types.ts";
import { renderCardMarkdown } from "../../connectors/exporters/card-markdown.ts";
import { participationSection, type CardOpinion, type CardCharterVersion, type CardDecision, type CardRule, type CardRuleComparison, type CardRuleResult, type EvaluationCard } from "../../core/card.ts";
import type { Charter } from "../../core/charter.ts";
import { AppError } from "../../core/errors.ts";
import { CONSENT_SCOPES } from "../../core/consent.ts";
import { gateByContributors } from "../../core/k-anonymity.ts";
import type { ContestTarget } from "../../core/judgment.ts";
import { allCharters } from "../evaluations/queries.ts";
import { type CharterRow } from "../../platform/records.ts";
import { cardCounts, communityCounts, scopeGrants } from "./queries.ts";
import { dissentTotals } from "../dissent/queries.ts";
import { activeWithholding, findProposal, listProposals } from "../governance/queries.ts";
import { nowOf, type Services } from "../../platform/context.ts";
import { canonicalJson } from "../../core/canonical-json.ts";
import { type Actor, requireCharter, requireEvaluation } from "../../platform/guards.ts";
import { computedOpinion, publishedHistory } from "../deliberation/opinion-service.ts";
import { demandsOf, minorityReports } from "../dissent/service.ts";
import { getEvaluation } from "../evaluations/service.ts";
import { exportLog } from "../exports/service.ts";
import { closeDueProposals } from "../governance/service.ts";
import { publicLabour } from "../labour/service.ts";
import { computeResults } from "../results/service.ts";

const HOUR_MS = 3_600_000;

function changedFields(before: Charter, after: Charter): string[] {
  const keys = Object.keys(after) as (keyof Charter)[];
  return keys.filter((key) => canonicalJson(before[key]) !== canonicalJson(after[key]));
}

function charterVersions(charters: readonly CharterRow[], amendedBy: ReadonlyMap<number, string>): CardCharterVersion[] {
  return charters.map((charter, index) => {
    const previous = charters[index - 1];
    if (!previous) return { version: charter.version, adoptedAt: charter.created_at, summary: "first version" };
    const changed = changedFields(previous.content, charter.content).join(", ") || "nothing";
    const by = amendedBy.get(charter.version);
    return { version: charter.version, adoptedAt: charter.created_at, summary: `changed: ${changed}${by ? `; by the passed proposal "${by}"` : ""}` };
  });
}

function cardParameters(parameters: RuleResult["parameters"]): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(parameters).filter((entry): entry is [string, string | number | boolean] => entry[1] !== null));
}

function isRuleName(rule: string): rule is RuleName {
  return (RULE_NAMES as readonly string[]).includes(rule);
}

function cardRules(charter: Charter, results: readonly RuleResult[]): CardRule[] {
  return charter.rules.map((name) => {
    const result = results.find((r) => r.rule === name);
    const assumption = isRuleName(name) || name === "mean-rating" ? RULE_ASSUMPTIONS[name] : "";
    return { name, version: "1", parameters: result ? cardParameters(result.parameters) : {}, assumption };
  });
}

function cardResult(result: RuleResult): CardRuleResult {
  return {
    rule: result.rule,
    slice: "all participants whose consent includes aggregate",
    used: result.used,
    excluded: result.excluded.map((e) => ({ reason: e.reason, count: e.count })),
    subjects: result.subjects.map((s) => ({
      subject: s.name,
      estimate: s.score,
      interval: s.lower !== null && s.upper !== null ? { lower: s.lower, upper: s.upper, level: 0.95, method: "as computed by the rule (see its parameters)" } : null,
      rank: s.rank,
    })),
  };
}

async function resultsPart(s: Services, actor: Actor, evaluationId: string, charter: Charter) {
  const rules = charter.rules.filter(isRuleName);
  if (rules.length === 0) return { results: [], summary: [], sensitivity: [], beyondArena: null, notes: ["the charter names no rule the results service computes"] };
  let computed: Awaited<ReturnType<typeof computeResults>>;
  try {
    computed = await computeResults(s, actor, evaluationId, { rules, seed: 0 });
  } catch (error) {
    if (error instanceof AppError && (error.code === "no_judgments" || error.code === "single_subject")) return { results: [], summary: [], sensitivity: [], beyondArena: null, notes: [error.message] };
    throw error;
  }
  const sensitivity: CardRuleComparison[] = computed.sensitivity.flatMap((c) =>
    c.tau === null ? [] : [{ ruleA: c.rules[0], ruleB: c.rules[1], kendallTau: c.tau, flippedPairs: c.flipped.map((f) => [f.first, f.second] as const) }],
  );
  const hidden = computed.suppressedRules.map((r) => `${r.rule}: not enough contributors yet (fewer than k = ${r.suppressed.k} people fed it), so no result is shown`);
  return { results: computed.rules, summary: computed.summary.text, sensitivity, beyondArena: computed.beyondArena, notes: [...computed.warnings, ...hidden, ...boardNotes(computed.boards)] };
}

/** The cost to manipulate each rank, and the bridging board, as the results computed them (already gated by k). */
function beyondArenaPart(beyond: Awaited<ReturnType<typeof computeResults>>["beyondArena"]): Pick<EvaluationCard, "manipulation" | "bridging"> {
  const manipulation = beyond?.manipulation ?? null;
  const board = beyond?.bridging.board ?? null;
  return {
    manipulation: manipulation && { assumption: manipulation.assumption, pairs: manipulation.pairs, intoTopTier: manipulation.intoTopTier },
    bridging: board && {
      assumption: board.assumption,
      groupSizes: beyond?.bridging.groups.map((g) => g.participants) ?? [],
      subjects: board.subjects.map((s) => ({
        subject: s.name,
        estimate: s.score,
        interval: s.lower !== null && s.upper !== null ? { lower: s.lower, upper: s.upper, level: 0.95, method: "bootstrap over participants within each group" } : null,
        rank: s.rank,
      })),
    },
  };
}

/** Which votes the results count, and how the revisions changed the board (only past k revisers). */
function boardNotes(boards: Awaited<ReturnType<typeof computeResults>>["boards"]): string[] {
  const counted = boards.headline === "blind" ? "blind votes (each battle's first vote, cast before the models were revealed)" : "revised votes (each vote as it stands after the revise phase)";
  const notes = [`the results count ${counted}, as the charter sets`];
  if (boards.identical) notes.push("no counted vote was revised, so blind and revised votes give the same board");
  else if (boards.revisions.suppressed) notes.push(`fewer than k = ${boards.revisions.suppressed.k} people revised a vote, so the other board is not shown separately`);
  else if (boards.change) {
    notes.push(`${boards.revisions.judgments} votes were revised by ${boards.revisions.people} people; Bradley–Terry on ${boards.other?.board} votes: Kendall's tau ${boards.change.tau?.toFixed(3) ?? "n/a"} against the headline, ${boards.change.flippedCount} pairs flipped`);
  }
  return notes;
}

async function decisions(s: Services, evaluationId: string): Promise<{ decisions: CardDecision[]; amendedBy: Map<number, string> }> {
  const amendedBy = new Map<number, string>();
  const closed: CardDecision[] = [];
  for (const p of await listProposals(s.pool, evaluationId)) {
    if ((p.status !== "passed" && p.status !== "rejected") || !p.tally || !p.closed_at) continue;
    const version = p.effect?.charterVersion;
    if (typeof version === "number") amendedBy.set(version, p.title);
    closed.push({ title: p.title, kind: p.kind, method: p.method, closedAt: p.closed_at, outcome: p.status, reason: p.rejection_reason, tally: p.tally });
  }
  return { decisions: closed, amendedBy };
}

async function participation(s: Services, evaluationId: string, counts: { participants: number; judgments: number }, k: number) {
  const communities = await communityCounts(s.pool, evaluationId);
  return participationSection({
    participants: counts.participants,
    judgments: counts.judgments,
    k,
    communities: communities.flatMap((c) => (c.key === null ? [] : [{ key: c.key, count: c.count }])),
    withoutCommunity: communities.find((c) => c.key === null)?.count ?? 0,
  });
}

/**
 * Abstention reasons and contest targets (consent-filtered in SQL), each through the one gate: a reason is shown
 * only when k distinct people gave it, with complementary suppression against the published totals.
 */
async function dissentPart(s: Services, evaluationId: string, k: number) {
  const totals = await dissentTotals(s.pool, evaluationId);
  const abstentions = totals.filter((t) => t.kind === "abstention");
  const contests = totals.filter((t) => t.kind === "contest");
  const reasons = gateByContributors(abstentions.map((t) => ({ key: t.label, count: t.people, n: t.n })), k);
  const targets = gateByContributors(contests.map((t) => ({ key: t.label, count: t.people, n: t.n })), k);
  const reports = (await minorityReports(s.pool, evaluationId)).flatMap((r) =>
    r.status === "published" && r.publishedAt ? [{ title: r.title, text: r.text, signers: r.signers, publishedAt: r.publishedAt }] : [],
  );
  return {
    abstentions: reasons.total === null ? null : abstentions.reduce((sum, t) => sum + t.n, 0),
    // a free-text reason is shown only when at least k distinct people gave it word for word
    abstentionReasons: [...reasons.shown.values()].map((t) => ({ reason: t.key, count: t.n })),
    contests: [...targets.shown.values()].map((t) => ({ target: t.key as ContestTarget, count: t.n })),
    minorityReports: reports,
  };
}

async function consentPart(s: Services, evaluationId: string, charter: Charter, participants: number, revocations: number) {
  const grants = await scopeGrants(s.pool, evaluationId);
  const withholding = await activeWithholding(s.pool, evaluationId);
  const decision = withholding ? await findProposal(s.pool, evaluationId, withholding.started_by) : undefined;
  return {
    participants,
    scopes: CONSENT_SCOPES.filter((scope) => charter.scopes.includes(scope) || grants.has(scope)).map((scope) => ({ scope, granted: grants.get(scope) ?? 0 })),
    revocations,
    withholding: withholding ? { active: true as const, since: withholding.started_at, decision: decision?.title ?? "withhold_data" } : { active: false as const },
  };
}

/** Which update of the opinion map the card reports, with its group sizes k-suppressed (null: no map). */
async function opinionPart(s: Services, evaluationId: string, k: number): Promise<CardOpinion | null> {
  const evaluation = await requireEvaluation(s.pool, evaluationId);
  const { stored, result, update } = await computedOpinion(s, evaluation);
  if (!result.map || !update || stored.conversation.participants.length < k) return null;
  const latest = (await publishedHistory(s.pool, evaluationId, k)).find((h) => h.version === update.version);
  if (!latest) return null;
  return { update: update.version, computedAt: update.computedAt, votes: update.votes, groupCount: latest.groupCount, groups: latest.groups };
}

/** The card and the notes that explain what it could not include. */
export async function buildCard(s: Services, actor: Actor, idOrSlug: string): Promise<{ card: EvaluationCard; notes: string[] }> {
  const { evaluation } = await getEvaluation(s, actor, idOrSlug);
  await closeDueProposals(s, evaluation.id);
  const charters = await allCharters(s.pool, evaluation.id);
  const current = await requireCharter(s.pool, evaluation.id);
  const charter = current.content;
  const counts = await cardCounts(s.pool, evaluation.id);
  const { decisions: decided, amendedBy } = await decisions(s, evaluation.id);
  const results = await resultsPart(s, actor, evaluation.id, charter);
  const labour = await publicLabour(s.pool, evaluation.id, charter.kAnonymity);
  const now = nowOf(s);
  const card: EvaluationCard = {
    evaluationId: evaluation.id,
    title: evaluation.title,
    generatedAt: now,
    charter: { purpose: charter.purpose, sponsor: charter.sponsor, beneficiaries: charter.beneficiaries, versions: charterVersions(charters, amendedBy) },
    participation: await participation(s, evaluation.id, counts, charter.kAnonymity),
    rules: cardRules(charter, results.results),
    summary: results.summary,
    results: results.results.map(cardResult),
    sensitivity: results.sensitivity,
    ...beyondArenaPart(results.beyondArena),
    dissent: await dissentPart(s, evaluation.id, charter.kAnonymity),
    demands: (await demandsOf(s.pool, evaluation.id, now)).map((d) => ({ title: d.title, endorsers: d.endorsers, status: d.status, answer: d.answer, progress: d.progress, milestones: d.milestoneSummary })),
    decisions: decided,
    consent: await consentPart(s, evaluation.id, charter, counts.participants, counts.revocations),
    labour: {
      currency: labour.currency,
      ratePerHour: labour.ratePerHour,
      volunteer: labour.volunteer,
      totals:
        labour.account === null
          ? null
          : {
              workers: labour.workers ?? 0,
              hours: labour.account.hours,
              cappedHours: (labour.cappedMs ?? 0) / HOUR_MS,
              owedMinor: labour.account.owedMinor,
              paidMinor: labour.account.paidMinor,
              effectiveHourlyRate: labour.account.effectiveHourlyRate,
              unpaidHours: labour.account.unpaidHours,
              valueAtFloorMinor: labour.account.valueAtFloorMinor,
            },
      suppressed: labour.suppressed,
    },
    exports: (await exportLog(s, actor, evaluation.id)).map((e) => ({
      at: e.at,
      format: e.format,
      scope: e.scope,
      recipient: e.recipient,
      rows: e.included,
      excluded: Object.entries(e.excluded).map(([reason, count]) => ({ reason, count })),
      contentHash: e.contentHash,
    })),
    opinion: await opinionPart(s, evaluation.id, charter.kAnonymity),
  };
  return { card, notes: results.notes };
}

/** The card as Markdown; notes (e.g. why a section is empty) follow as a last section. */
export async function cardMarkdown(s: Services, actor: Actor, idOrSlug: string): Promise<string> {
  const { card, notes } = await buildCard(s, actor, idOrSlug);
  const markdown = renderCardMarkdown(card);
  return notes.length === 0 ? markdown : `${markdown}\n## Notes\n\n${notes.map((note) => `- ${note.replace(/\s+/g, " ")}`).join("\n")}\n`;
}
