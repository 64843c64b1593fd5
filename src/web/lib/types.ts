/** The shapes the API answers with (see src/server/routes). */
export type ConsentScope = "aggregate" | "publish" | "research" | "train_ai" | "commercial";
export const CONSENT_SCOPES: readonly ConsentScope[] = ["aggregate", "publish", "research", "train_ai", "commercial"];
export const AGGREGATION_RULES = ["bt", "elo", "borda", "ranked-pairs", "win-rate", "mean-rating"] as const;
export const DECISION_METHODS = ["majority", "supermajority", "consent"] as const;
export const SUBJECT_KINDS = ["model", "product", "application", "use_case"] as const;
export const PHASES = ["judge", "deliberate", "revise"] as const;
export type Phase = (typeof PHASES)[number];
export type Status = "draft" | "open" | "closed" | "published";

export interface RubricDimension {
  name: string;
  label: string;
  description: string;
  min: number;
  max: number;
  useCase?: string;
}

export interface Charter {
  purpose: string;
  sponsor: string;
  beneficiaries: string;
  scopes: ConsentScope[];
  pay: { ratePerHour: number; currency: string; volunteer: boolean };
  governance: {
    decisionMethod: (typeof DECISION_METHODS)[number];
    quorum: number;
    minorityReportSignatures: number;
    demandThreshold: number;
    demandAnswerDays: number;
    releaseRequiresApproval: boolean;
  };
  rules: (typeof AGGREGATION_RULES)[number][];
  rubric: RubricDimension[];
  kAnonymity: number;
  languages: string[];
  textLimits: { rationale: number; prompt: number; reason: number; post: number; statement: number };
  participantItems: "off" | "moderated" | "open";
  idleCapMinutes: number;
}

export interface Evaluation {
  id: string;
  slug: string;
  title: string;
  question: string;
  status: Status;
  phase: Phase;
  created_at: string;
}

export interface Counts {
  items: number;
  subjects: number;
  responses: number;
  judgments: number;
  participants: number;
}

export interface EvaluationDetail {
  evaluation: Evaluation;
  role: "organiser" | "observer" | "participant" | null;
  charter: { version: number; content: Charter; content_hash: string; created_at: string } | null;
}

export interface ConsentEvent {
  id: number | string;
  change: "grant" | "change" | "revoke";
  scopes: ConsentScope[];
  granted: ConsentScope[];
  revoked: ConsentScope[];
  charter_version: number;
  at: string;
}

export interface Me {
  participant: { id: string; pseudonym: string; communities: string[] };
  consent: { scopes: ConsentScope[]; charter_version: number; updated_at?: string } | null;
  history: ConsentEvent[];
}

export interface Assignment {
  token: string;
  mode: "pairwise" | "rating" | "ranking";
  item: { id: string; title: string; prompt: string };
  responses: { key: string; text: string }[];
}

export type Judgment =
  | { kind: "pairwise"; outcome: "a" | "b" | "tie" | "both_bad" }
  | { kind: "rating"; scores: Record<string, number> }
  | { kind: "ranking"; order: string[][] }
  | { kind: "abstention"; reason: string }
  | { kind: "contest"; target: "item" | "criteria" | "framing"; reason: string };

export interface Revealed {
  key: string;
  subject: { name: string; kind: string; organisation: string | null } | null;
}

export interface CastResult {
  judgment: { id: string; kind: string; itemId: string; createdAt: string };
  revealed: Revealed[];
}
