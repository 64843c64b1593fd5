import { test } from "node:test";
import assert from "node:assert/strict";
import { overdueDemands, participationSection, type EvaluationCard } from "../../../src/core/card.ts";
import { CARD_SECTIONS, renderCardMarkdown } from "../../../src/connectors/exporters/card-markdown.ts";

const d = (day: number) => new Date(Date.UTC(2025, 2, day));

const REPORT_1 = `We, the undersigned, do not accept the "winner" of this evaluation.

The pairwise task asked which answer was *better*, but for our clinic's patients the
question is which answer is **safe**. | Both | failed that test.
## This line must not become a heading
\`\`\`
even a code fence inside stays verbatim
\`\`\``;
const REPORT_2 = "Short dissent: the ranking ignores answers in Spanish.";

function sampleCard(): EvaluationCard {
  return {
    evaluationId: "ev-42",
    title: "Triage assistants in community clinics",
    generatedAt: new Date("2025-04-01T09:00:00Z"),
    charter: {
      purpose: "Choose a triage assistant for three clinics",
      sponsor: "Northside Health Cooperative",
      beneficiaries: "Clinic patients and staff",
      versions: [
        { version: 1, adoptedAt: d(1), summary: "first version" },
        { version: 2, adoptedAt: d(12), summary: "added the train_ai scope after a vote" },
      ],
    },
    participation: participationSection({
      participants: 57,
      judgments: 1204,
      k: 5,
      communities: [
        { key: "nurses", count: 14 },
        { key: "patients", count: 31 },
        { key: "interpreters", count: 3 },
      ],
    }),
    rules: [
      { name: "bradley_terry", version: "1", parameters: { anchor: "mean 1000", bootstrap: 1000 }, assumption: "One latent quality per system; every judge weighs quality alike." },
      { name: "borda", version: "1", parameters: {}, assumption: "Rank positions are equally spaced." },
    ],
    results: [
      {
        rule: "bradley_terry",
        slice: "all participants",
        used: 980,
        excluded: [{ reason: "abstention", count: 61 }],
        subjects: [
          { subject: "triage-a", estimate: 1041.2, interval: { lower: 1020.5, upper: 1060.1, level: 0.95, method: "bootstrap percentile" }, rank: 1 },
          { subject: "triage-b", estimate: 958.8, interval: null, rank: 2 },
        ],
      },
    ],
    sensitivity: [{ ruleA: "bradley_terry", ruleB: "borda", kendallTau: 0.6, flippedPairs: [["triage-b", "triage-c"]] }],
    dissent: {
      abstentions: 61,
      abstentionReasons: [{ reason: "not my expertise", count: 40 }],
      contests: [{ target: "criteria", count: 12 }],
      minorityReports: [
        { title: "Safety before preference", text: REPORT_1, signers: 9, publishedAt: d(20) },
        { title: "Language", text: REPORT_2, signers: 6, publishedAt: d(22) },
      ],
    },
    demands: [
      { title: "Publish the vendor contracts", endorsers: 8, status: { status: "overdue", owedSince: d(10), deadline: d(24) }, answer: null, progress: "open", milestones: { total: 0, done: 0, overdue: [] } },
      { title: "Pay interpreters", endorsers: 11, status: { status: "answered", answeredAt: d(15), late: false }, answer: "Agreed: interpreters are paid at 1.5× from version 3.", progress: "in_progress", milestones: { total: 2, done: 1, overdue: ["update charter"] } },
    ],
    decisions: [
      {
        title: "Add the train_ai scope",
        kind: "amend_charter",
        method: "supermajority",
        closedAt: d(11),
        outcome: "passed",
        reason: null,
        tally: { yes: 30, no: 9, abstain: 4, object: 0, cast: 43, eligible: 57, quorumNeeded: 29, invalid: 0 },
      },
    ],
    consent: {
      participants: 57,
      scopes: [
        { scope: "aggregate", granted: 57 },
        { scope: "research", granted: 41 },
      ],
      revocations: 4,
      withholding: { active: true, since: d(25), decision: "Withhold until contracts are published" },
    },
    opinion: { update: 7, computedAt: new Date("2026-03-01T12:00:00Z"), votes: 1234, groupCount: 2, groups: [{ id: 0, participants: 40 }, { id: 1, participants: null }] },
    labour: { currency: "USD", ratePerHour: 1500, volunteer: false, totals: { workers: 40, hours: 101.5, cappedHours: 7.25, owedMinor: 152250, paidMinor: 120000, effectiveHourlyRate: 120000 / 101.5, unpaidHours: 0, valueAtFloorMinor: 121800 }, suppressed: null },
    exports: [{ at: d(18), format: "huggingface", scope: "research", recipient: "University of Somewhere", rows: 800, excluded: [{ reason: "consent_not_granted", count: 180 }], contentHash: "ab".repeat(32) }],
  };
}

test("the card's Markdown has every section, in order", () => {
  const markdown = renderCardMarkdown(sampleCard());
  let previous = -1;
  for (const title of CARD_SECTIONS) {
    const at = markdown.indexOf(`\n## ${title}\n`);
    assert.ok(at > previous, `section "${title}" missing or out of order`);
    previous = at;
  }
  for (const sub of ["### Abstentions", "### Contests", "### Minority reports"]) assert.ok(markdown.includes(`\n${sub}\n`), sub);
});

test("the card says which update of the opinion map it reports, with sizes below k hidden", () => {
  const markdown = renderCardMarkdown(sampleCard());
  assert.ok(markdown.includes("Update 7 of the map, computed 2026-03-01T12:00:00.000Z from 1234 votes: 2 groups (group 1: 40; group 2: hidden (fewer than k))."));
  assert.ok(renderCardMarkdown({ ...sampleCard(), opinion: null }).includes("No opinion map"));
});

test("minority reports appear verbatim, and their Markdown cannot inject structure", () => {
  const markdown = renderCardMarkdown(sampleCard());
  assert.ok(markdown.includes(REPORT_1), "first report not verbatim");
  assert.ok(markdown.includes(REPORT_2), "second report not verbatim");
  assert.ok(markdown.includes("````text\n" + REPORT_1 + "\n````"), "a report containing ``` needs a longer fence");
});

test("small communities are not shown; overdue demands, withholding and labour are on the record", () => {
  const card = sampleCard();
  const markdown = renderCardMarkdown(card);
  assert.ok(markdown.includes("| patients | 31 |"));
  assert.ok(!markdown.includes("interpreters |"), "a community of 3 with k = 5 must not be listed");
  assert.equal(card.participation.communitiesHidden, 1);
  assert.deepEqual(overdueDemands(card).map((demand) => demand.title), ["Publish the vendor contracts"]);
  assert.ok(markdown.includes("**OVERDUE**"));
  assert.ok(markdown.includes("**1 demand(s) overdue.**"));
  assert.ok(markdown.includes("Agreed: interpreters are paid at 1.5× from version 3."));
  assert.ok(markdown.includes("**Withholding is active** since 2025-03-25"));
  assert.ok(markdown.includes("Owed: 1522.50 USD; paid: 1200.00 USD"));
  assert.ok(markdown.includes("Effective hourly rate paid: 11.82 USD/h"), "1200.00 / 101.5 h = 11.82");
  assert.ok(markdown.includes("30 yes, 9 no, 4 abstain, 0 object; 43/57 voted (quorum 29)"));
  assert.ok(markdown.includes("[1020.500, 1060.100] (95%, bootstrap percentile)"));
  assert.ok(markdown.includes("research | 41 of 57"));
});

test("labour totals from fewer than k workers are withheld from the card, saying why", () => {
  const card = { ...sampleCard(), labour: { currency: "USD", ratePerHour: 1500, volunteer: false, totals: null, suppressed: { reason: "fewer_than_k_contributors" as const, k: 5 } } };
  const markdown = renderCardMarkdown(card);
  assert.ok(markdown.includes("Totals withheld: fewer than 5 people have worked"));
  assert.ok(markdown.includes("Charter rate: 15.00 USD/h"));
  assert.ok(!/Owed:|Measured time:/.test(markdown));
});

test("an empty card still shows every section, saying none", () => {
  const card: EvaluationCard = { ...sampleCard(), results: [], sensitivity: [], demands: [], decisions: [], exports: [], dissent: { abstentions: 0, abstentionReasons: [], contests: [], minorityReports: [] } };
  const markdown = renderCardMarkdown(card);
  for (const title of CARD_SECTIONS) assert.ok(markdown.includes(`## ${title}`));
  assert.ok(markdown.includes("### Minority reports\n\n_none_"));
});
