import type { Charter, ConsentScope, RubricDimension } from "../lib/types.ts";

/** A number field of the charter: its path in the request, bounds, and how it is shown (percent: ×100). */
export interface NumberSpec {
  path: string;
  min: number;
  max: number;
  integer: boolean;
  percent?: boolean;
  initial: number;
}

/** Defaults mirror src/core/charter.ts (test/contract/charter-form.test.ts holds them to it). */
export const NUMBER_SPECS: readonly NumberSpec[] = [
  { path: "charter.pay.ratePerHour", min: 0, max: 100_000, integer: false, initial: 0 },
  { path: "charter.governance.quorum", min: 0, max: 1, integer: false, percent: true, initial: 0.2 },
  { path: "charter.governance.minorityReportSignatures", min: 1, max: 100_000, integer: true, initial: 3 },
  { path: "charter.governance.demandThreshold", min: 0, max: 1, integer: false, percent: true, initial: 0.1 },
  { path: "charter.governance.demandAnswerDays", min: 1, max: 365, integer: true, initial: 14 },
  { path: "charter.kAnonymity", min: 2, max: 1000, integer: true, initial: 10 },
  { path: "charter.textLimits.rationale", min: 1, max: 100_000, integer: true, initial: 2000 },
  { path: "charter.textLimits.prompt", min: 1, max: 100_000, integer: true, initial: 4000 },
  { path: "charter.textLimits.reason", min: 1, max: 100_000, integer: true, initial: 2000 },
  { path: "charter.textLimits.post", min: 1, max: 100_000, integer: true, initial: 5000 },
  { path: "charter.textLimits.statement", min: 1, max: 10_000, integer: true, initial: 280 },
  { path: "charter.idleCapMinutes", min: 1, max: 240, integer: true, initial: 10 },
  { path: "charter.liveBattles.perParticipantPerDay", min: 0, max: 100_000, integer: true, initial: 20 },
  { path: "charter.liveBattles.perEvaluationPerDay", min: 0, max: 10_000_000, integer: true, initial: 1000 },
];

export interface RubricDraft {
  name: string;
  label: string;
  description: string;
  min: string;
  max: string;
}

export interface CharterDraft {
  text: Record<string, string>;
  numbers: Record<string, string>;
  scopes: ConsentScope[];
  volunteer: boolean;
  decisionMethod: Charter["governance"]["decisionMethod"];
  releaseRequiresApproval: boolean;
  rules: Charter["rules"];
  rubric: RubricDraft[];
  languages: string[];
  participantItems: Charter["participantItems"];
  identityAssurance: NonNullable<Charter["identityAssurance"]>;
  headlineBoard: NonNullable<Charter["headlineBoard"]>;
}

export const TEXT_SPECS = [
  { path: "slug", required: true, max: 63 },
  { path: "title", required: true, max: 300 },
  { path: "question", required: false, max: 4000 },
  { path: "charter.purpose", required: true, max: 4000 },
  { path: "charter.sponsor", required: true, max: 200 },
  { path: "charter.beneficiaries", required: false, max: 2000 },
  { path: "charter.pay.currency", required: true, max: 3 },
] as const;

const shown = (spec: NumberSpec) => String(spec.percent ? Math.round(spec.initial * 100) : spec.initial);

export function emptyDraft(): CharterDraft {
  return {
    text: Object.fromEntries(TEXT_SPECS.map((s) => [s.path, s.path === "charter.pay.currency" ? "USD" : ""])),
    numbers: Object.fromEntries(NUMBER_SPECS.map((s) => [s.path, shown(s)])),
    scopes: ["aggregate"],
    volunteer: true,
    decisionMethod: "majority",
    releaseRequiresApproval: false,
    rules: ["bt", "elo", "borda", "ranked-pairs", "win-rate"],
    rubric: [
      { name: "helpfulness", label: "Helpfulness", description: "", min: "1", max: "5" },
      { name: "harmlessness", label: "Harmlessness", description: "", min: "1", max: "5" },
    ],
    languages: ["en"],
    participantItems: "off",
    identityAssurance: "personal_link",
    headlineBoard: "blind",
  };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1] ?? ""] = value;
}

/** The request body for POST /api/evaluations. */
export function toRequest(draft: CharterDraft): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const spec of TEXT_SPECS) {
    const value = (draft.text[spec.path] ?? "").trim();
    if (value || spec.required) setPath(body, spec.path, value);
  }
  for (const spec of NUMBER_SPECS) {
    const value = Number(draft.numbers[spec.path]);
    setPath(body, spec.path, spec.percent ? value / 100 : value);
  }
  setPath(body, "charter.scopes", draft.scopes);
  setPath(body, "charter.pay.volunteer", draft.volunteer);
  setPath(body, "charter.governance.decisionMethod", draft.decisionMethod);
  setPath(body, "charter.governance.releaseRequiresApproval", draft.releaseRequiresApproval);
  setPath(body, "charter.rules", draft.rules);
  setPath(body, "charter.rubric", draft.rubric.map((d): RubricDimension => ({ name: d.name, label: d.label.trim(), description: d.description.trim(), min: Number(d.min), max: Number(d.max) })));
  setPath(body, "charter.languages", draft.languages);
  setPath(body, "charter.participantItems", draft.participantItems);
  setPath(body, "charter.identityAssurance", draft.identityAssurance);
  setPath(body, "charter.headlineBoard", draft.headlineBoard);
  return body;
}

/** The field names a server problem may point at, so its message lands beside the right control. */
export function knownFields(draft: CharterDraft): string[] {
  return [
    ...TEXT_SPECS.map((s) => s.path),
    ...NUMBER_SPECS.map((s) => s.path),
    "charter.scopes",
    "charter.rules",
    "charter.languages",
    ...draft.rubric.flatMap((_, i) => ["name", "label", "min", "max"].map((f) => `charter.rubric.${i}.${f}`)),
  ];
}
