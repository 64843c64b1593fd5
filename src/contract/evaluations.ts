/** Evaluations: the evaluation, its charter versions, subjects, items, responses, invitations and progress. */
import { z } from "zod";
import { AGGREGATION_RULES, DECISION_METHODS, BOARDS, IDENTITY_ASSURANCES } from "../core/charter.ts";
import { CONSENT_SCOPES } from "../core/consent.ts";
import { EVALUATION_STATUSES, PHASES, ROLES, SUBJECT_KINDS } from "../core/evaluation.ts";
import { jsonObject, timestamp } from "./common.ts";

export const rubricDimension = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  min: z.number(),
  max: z.number(),
  useCase: z.string().optional(),
});

/** A charter version's content as stored (core/charter.ts validates what organisers write). */
export const charter = z.object({
  purpose: z.string(),
  sponsor: z.string(),
  beneficiaries: z.string(),
  scopes: z.array(z.enum(CONSENT_SCOPES)),
  pay: z.object({ ratePerHour: z.number(), currency: z.string(), volunteer: z.boolean() }),
  governance: z.object({
    decisionMethod: z.enum(DECISION_METHODS),
    quorum: z.number(),
    minorityReportSignatures: z.number(),
    demandThreshold: z.number(),
    demandAnswerDays: z.number(),
    releaseRequiresApproval: z.boolean(),
  }),
  rules: z.array(z.enum(AGGREGATION_RULES)),
  rubric: z.array(rubricDimension),
  kAnonymity: z.number(),
  languages: z.array(z.string()),
  textLimits: z.object({ rationale: z.number(), prompt: z.number(), reason: z.number(), post: z.number(), statement: z.number() }),
  participantItems: z.enum(["off", "moderated", "open"]),
  idleCapMinutes: z.number(),
  /** stored charters written before these fields existed lack them */
  liveBattles: z.object({ perParticipantPerDay: z.number(), perEvaluationPerDay: z.number() }).optional(),
  identityAssurance: z.enum(IDENTITY_ASSURANCES).optional(),
  headlineBoard: z.enum(BOARDS).optional(),
});

export const evaluation = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  question: z.string(),
  status: z.enum(EVALUATION_STATUSES),
  phase: z.enum(PHASES),
  createdAt: timestamp,
});
export const evaluationCounts = z.object({ items: z.number(), subjects: z.number(), responses: z.number(), judgments: z.number(), participants: z.number() });
export const evaluationList = z.object({ evaluations: z.array(evaluation.extend({ counts: evaluationCounts })) });
export const createdEvaluation = z.object({ evaluation, charter });
export const evaluationEnvelope = z.object({ evaluation });

export const charterVersion = z.object({ version: z.number(), content: charter, contentHash: z.string(), createdAt: timestamp });
export const evaluationDetail = z.object({
  evaluation,
  role: z.enum(ROLES).nullable(),
  charter: charterVersion.nullable(),
  charterVersions: z.array(charterVersion.omit({ content: true })),
});

export const subject = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(SUBJECT_KINDS),
  organisation: z.string().nullable(),
  context: jsonObject,
  artifacts: z.array(z.unknown()),
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
});
export const subjectList = z.object({ subjects: z.array(subject) });
export const subjectEnvelope = z.object({ subject });

export const item = z.object({
  id: z.string(),
  evaluationId: z.string(),
  externalRef: z.string().nullable(),
  title: z.string(),
  prompt: z.string(),
  scenario: jsonObject.nullable(),
  moderation: z.enum(["accepted", "rejected", "pending"]),
  authorParticipantId: z.string().nullable(),
});
export const itemList = z.object({ items: z.array(item) });
export const itemEnvelope = z.object({ item });

export const response = z.object({
  id: z.string(),
  itemId: z.string(),
  subjectId: z.string(),
  text: z.string(),
  meta: jsonObject,
  identityLeak: z.array(z.string()).nullable(),
});
export const responseEnvelope = z.object({ response });

export const invitation = z.object({
  token: z.string(),
  evaluationId: z.string(),
  role: z.enum(["observer", "participant"]),
  maxUses: z.number().nullable(),
  uses: z.number(),
  expiresAt: timestamp.nullable(),
});
export const invitationCreated = z.object({ invitation, path: z.string() });

/** What organisers see of a link: kind, uses left, expiry, revocation, and whether it still admits anyone. */
export const invitationView = z.object({
  token: z.string(),
  path: z.string(),
  role: z.enum(["observer", "participant"]),
  kind: z.string(),
  maxUses: z.number().nullable(),
  uses: z.number(),
  usesLeft: z.number().nullable(),
  expiresAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
  createdAt: timestamp,
  status: z.string(),
});
export const invitationList = z.object({ invitations: z.array(invitationView) });
export const invitationRevoked = z.object({ invitation: invitationView });

export const progress = z.object({
  evaluation: evaluation.pick({ id: true, slug: true, status: true, phase: true }),
  counts: z.object({
    participants: z.number(),
    consenting: z.number(),
    judgments: z.number(),
    pairwise: z.number(),
    ratings: z.number(),
    rankings: z.number(),
    abstentions: z.number(),
    contests: z.number(),
    revisions: z.number(),
    openAssignments: z.number(),
    subjects: z.number(),
    availableSubjects: z.number(),
    items: z.number(),
    pendingItems: z.number(),
  }),
  pairCoverage: z.object({
    possiblePairs: z.number(),
    comparedPairs: z.number(),
    share: z.number(),
    fewestComparisons: z.number(),
    medianComparisons: z.number(),
    mostComparisons: z.number(),
  }),
});

export const health = z.object({ ok: z.boolean() });

/** GET /api/evaluations/:id/audit-log: organisers' actions on the evaluation, newest first. */
export const auditEntry = z.object({
  id: z.number().int(),
  actor: z.object({ userId: z.string().nullable(), name: z.string() }),
  action: z.string(),
  target: z.string().nullable(),
  detail: jsonObject,
  at: timestamp,
});
export const auditLog = z.object({
  entries: z.array(auditEntry),
  /** pass as `before` for the next (older) page; null on the last page */
  nextBefore: z.number().int().nullable(),
});
