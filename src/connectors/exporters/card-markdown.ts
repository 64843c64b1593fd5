/**
 * The evaluation card as Markdown. Every section is always present (an empty one says "none"), so a
 * reader can tell "nothing happened" from "not reported". Minority reports and sponsor answers are
 * printed verbatim in fenced blocks, so their text cannot be altered or reformatted by Markdown.
 */
import type { CardDecision, CardDemand, CardLabour, CardRuleResult, EvaluationCard } from "../../core/card.ts";
import type { DemandStatus } from "../../core/dissent.ts";
import { bullets, fixed, inline, isoDate, money, section, table, verbatim } from "./markdown-text.ts";

export const CARD_SECTIONS = [
  "Charter",
  "Participation",
  "Rules and their assumptions",
  "Results",
  "Sensitivity",
  "Dissent",
  "Demands and answers",
  "Governance decisions",
  "Consent",
  "Labour",
  "Exports",
  "Opinion map",
] as const;

function charterSection(card: EvaluationCard): string {
  const { charter } = card;
  return section(
    "Charter",
    bullets([`Purpose: ${inline(charter.purpose)}`, `Sponsor: ${inline(charter.sponsor)}`, `Who benefits: ${inline(charter.beneficiaries)}`]),
    table(["version", "adopted", "what changed"], charter.versions.map((v) => [String(v.version), isoDate(v.adoptedAt), inline(v.summary)])),
  );
}

function participationSection(card: EvaluationCard): string {
  const p = card.participation;
  const hidden = p.communitiesHidden > 0 ? `${p.communitiesHidden} smaller communities are not shown (fewer than k = ${p.k} members).` : "";
  return section(
    "Participation",
    `${p.participants} participants made ${p.judgments} judgments. Groups smaller than k = ${p.k} are never shown.`,
    table(["self-described community", "participants"], p.communities.map((c) => [inline(c.key), String(c.count)])),
    hidden,
  );
}

function rulesSection(card: EvaluationCard): string {
  const rows = card.rules.map((r) => [
    inline(r.name),
    inline(r.version),
    inline(Object.entries(r.parameters).map(([key, value]) => `${key}=${String(value)}`).join(", ") || "none"),
    inline(r.assumption),
  ]);
  return section("Rules and their assumptions", "No rule is neutral: each result below names the rule that produced it.", table(["rule", "version", "parameters", "assumption"], rows));
}

function ruleResult(result: CardRuleResult): string {
  const excluded = result.excluded.map((e) => `${e.count} ${inline(e.reason)}`).join(", ") || "none";
  const rows = result.subjects.map((s) => [
    s.rank === null ? "–" : String(s.rank),
    inline(s.subject),
    fixed(s.estimate, 3),
    s.interval ? `[${fixed(s.interval.lower, 3)}, ${fixed(s.interval.upper, 3)}] (${Math.round(s.interval.level * 100)}%, ${inline(s.interval.method)})` : "no interval",
  ]);
  return [`### ${inline(result.rule)}: ${inline(result.slice)}`, `Used ${result.used} judgments; excluded: ${excluded}.`, table(["rank", "subject", "estimate", "interval"], rows)].join("\n\n");
}

function resultsSection(card: EvaluationCard): string {
  const plain = card.summary?.length ? [`### In plain words\n\n${bullets(card.summary.map(inline))}`] : [];
  return section("Results", ...plain, card.results.length === 0 ? "_none_" : card.results.map(ruleResult).join("\n\n"));
}

function sensitivitySection(card: EvaluationCard): string {
  const rows = card.sensitivity.map((c) => [
    `${inline(c.ruleA)} vs ${inline(c.ruleB)}`,
    fixed(c.kendallTau, 3),
    c.flippedPairs.map(([a, b]) => `${inline(a)} / ${inline(b)}`).join("; ") || "none",
  ]);
  return section("Sensitivity", table(["rules compared", "Kendall's τ", "pairs whose order flips"], rows));
}

function manipulationSection(card: EvaluationCard): string {
  const m = card.manipulation;
  if (!m) return section("Cost to manipulate a rank", "_not computed (needs one Bradley–Terry board over every subject)_");
  const votes = (n: number | null) => (n === null ? "more than the search's cap" : String(n));
  const rows = [...m.pairs, ...(m.intoTopTier ? [m.intoTopTier] : [])].map((p) => [`${inline(p.lower)} above ${inline(p.upper)}`, votes(p.votes)]);
  return section("Cost to manipulate a rank", [inline(m.assumption), table(["swap", "added votes needed"], rows)].join("\n\n"));
}

function bridgingSection(card: EvaluationCard): string {
  const b = card.bridging;
  if (!b) return section("Bridging across opinion groups", "_no board (fewer than two groups of at least k people, or not enough judgments)_");
  const rows = b.subjects.map((s) => [s.rank === null ? "–" : String(s.rank), inline(s.subject), fixed(s.estimate, 3), s.interval ? `[${fixed(s.interval.lower, 3)}, ${fixed(s.interval.upper, 3)}]` : "no interval"]);
  return section("Bridging across opinion groups", [inline(b.assumption), `Groups (sizes): ${b.groupSizes.join(", ")}.`, table(["rank", "subject", "estimate", "interval"], rows)].join("\n\n"));
}

function dissentSection(card: EvaluationCard): string {
  const d = card.dissent;
  const reasons = d.abstentionReasons.map((r) => `${inline(r.reason)}: ${r.count}`);
  const contests = d.contests.map((c) => `${c.target}: ${c.count}`);
  const reports = d.minorityReports.map((r) => [`#### ${inline(r.title)}`, `Signed by ${r.signers} participants, published ${isoDate(r.publishedAt)}.`, verbatim(r.text)].join("\n\n"));
  return section(
    "Dissent",
    `### Abstentions\n\n${d.abstentions === null ? `Not enough contributors yet (fewer than k = ${card.participation.k} people)` : d.abstentions} abstentions.${reasons.length > 0 ? `\n\n${bullets(reasons)}` : ""}`,
    `### Contests\n\n${bullets(contests)}`,
    `### Minority reports\n\n${reports.length === 0 ? "_none_" : reports.join("\n\n")}`,
  );
}

function demandState(status: DemandStatus): string {
  switch (status.status) {
    case "gathering":
      return `gathering endorsements (${status.endorsers} of ${status.needed})`;
    case "owed":
      return `answer owed by ${isoDate(status.deadline)}`;
    case "overdue":
      return `**OVERDUE**: no answer since the deadline ${isoDate(status.deadline)}`;
    case "answered":
      return `answered ${isoDate(status.answeredAt)}${status.late ? " (late)" : ""}`;
  }
}

function demandBlock(demand: CardDemand): string {
  const m = demand.milestones;
  const overdueMilestones = m.overdue.length > 0 ? `; overdue milestones: ${m.overdue.map(inline).join(", ")}` : "";
  return [
    `### ${inline(demand.title)}`,
    `${demand.endorsers} endorsers. Status: ${demandState(demand.status)}. Progress: ${demand.progress.replace("_", " ")}; milestones ${m.done}/${m.total} done${overdueMilestones}.`,
    demand.answer === null ? "" : `Sponsor's answer:\n\n${verbatim(demand.answer)}`,
  ]
    .filter((part) => part.length > 0)
    .join("\n\n");
}

function demandsSection(card: EvaluationCard): string {
  const overdue = card.demands.filter((d) => d.status.status === "overdue").length;
  return section("Demands and answers", overdue > 0 ? `**${overdue} demand(s) overdue.**` : "", card.demands.length === 0 ? "_none_" : card.demands.map(demandBlock).join("\n\n"));
}

function decisionRow(d: CardDecision): string[] {
  const t = d.tally;
  const outcome = d.outcome === "passed" ? "passed" : `rejected (${(d.reason ?? "").replace(/_/g, " ")})`;
  return [inline(d.title), d.kind, d.method, isoDate(d.closedAt), outcome, `${t.yes} yes, ${t.no} no, ${t.abstain} abstain, ${t.object} object; ${t.cast}/${t.eligible} voted (quorum ${t.quorumNeeded})`];
}

function governanceSection(card: EvaluationCard): string {
  return section("Governance decisions", table(["proposal", "kind", "rule", "closed", "outcome", "tally"], card.decisions.map(decisionRow)));
}

function consentSection(card: EvaluationCard): string {
  const c = card.consent;
  const withholding = c.withholding.active ? `**Withholding is active** since ${isoDate(c.withholding.since)} (${inline(c.withholding.decision)}): no export can be made.` : "No withholding is active.";
  return section(
    "Consent",
    table(["scope", "participants granting"], c.scopes.map((s) => [s.scope, `${s.granted} of ${c.participants}`])),
    `${c.revocations} consent revocations recorded.`,
    withholding,
  );
}

function labourSection(card: EvaluationCard): string {
  const l: CardLabour = card.labour;
  const charterRate = `Charter rate: ${money(l.ratePerHour, l.currency)}/h${l.volunteer ? " (declared voluntary)" : ""}`;
  const t = l.totals;
  if (t === null) return section("Labour", bullets([charterRate, `Totals withheld: fewer than ${l.suppressed?.k ?? "k"} people have worked, so they would show a few people's hours and pay`]));
  const rate = t.effectiveHourlyRate === null ? "n/a" : `${money(Math.round(t.effectiveHourlyRate), l.currency)}/h`;
  return section(
    "Labour",
    bullets([
      `Measured time: ${fixed(t.hours, 2)} hours by ${t.workers} people (${fixed(t.cappedHours, 2)} idle hours not counted)`,
      charterRate,
      `Owed: ${money(t.owedMinor, l.currency)}; paid: ${money(t.paidMinor, l.currency)}`,
      `Effective hourly rate paid: ${rate}`,
      `Unpaid hours: ${fixed(t.unpaidHours, 2)}`,
      `All measured time valued at the pay floor: ${money(t.valueAtFloorMinor, l.currency)}`,
    ]),
  );
}

function exportsSection(card: EvaluationCard): string {
  const rows = card.exports.map((e) => [
    isoDate(e.at),
    inline(e.format),
    inline(e.scope),
    inline(e.recipient),
    String(e.rows),
    e.excluded.map((x) => `${x.count} ${inline(x.reason)}`).join(", ") || "none",
    `\`${e.contentHash.slice(0, 16)}\``,
  ]);
  return section("Exports", table(["date", "format", "scope", "recipient", "rows", "excluded", "content hash"], rows));
}

function opinionSection(card: EvaluationCard): string {
  const o = card.opinion;
  if (!o) return section("Opinion map", "No opinion map: too few participants have voted on statements.");
  const sizes = o.groups.map((g) => `group ${g.id + 1}: ${g.participants === null ? "hidden (fewer than k)" : g.participants}`).join("; ");
  return section("Opinion map", `Update ${o.update} of the map, computed ${o.computedAt.toISOString()} from ${o.votes} votes: ${o.groupCount} groups (${sizes}).`);
}

export function renderCardMarkdown(card: EvaluationCard): string {
  const heading = `# Evaluation card: ${inline(card.title)}\n\nEvaluation \`${card.evaluationId}\`, card generated ${card.generatedAt.toISOString()}.`;
  const sections = [
    charterSection,
    participationSection,
    rulesSection,
    resultsSection,
    sensitivitySection,
    bridgingSection,
    manipulationSection,
    dissentSection,
    demandsSection,
    governanceSection,
    consentSection,
    labourSection,
    exportsSection,
    opinionSection,
  ].map((render) => render(card));
  return `${[heading, ...sections].join("\n\n")}\n`;
}
