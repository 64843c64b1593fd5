/** Judging: assignments, judgments (a tagged union on kind), revealed subjects, live-battle endpoints. */
import { z } from "zod";
import { CONTEST_TARGETS, JUDGMENT_KINDS, PAIRWISE_OUTCOMES } from "../core/judgment.ts";
import { PHASES, SUBJECT_KINDS } from "../core/evaluation.ts";
import { jsonObject, timestamp } from "./common.ts";
import { rubricDimension } from "./evaluations.ts";

export const ASSIGNMENT_MODES = ["pairwise", "rating", "ranking"] as const;

/** What a participant sees: the item and anonymous responses keyed by position, never the subjects. */
export const assignment = z.object({
  token: z.string(),
  mode: z.enum(ASSIGNMENT_MODES),
  item: z.object({ id: z.string(), title: z.string(), prompt: z.string(), scenario: jsonObject.nullable() }),
  responses: z.array(z.object({ key: z.string(), text: z.string() })),
  rubric: z.array(rubricDimension).nullable(),
  servedAt: timestamp,
});

/** A judgment's body, tagged by kind. Ranking order is groups of tied response keys, best first. */
export const judgmentBody = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pairwise"), outcome: z.enum(PAIRWISE_OUTCOMES) }),
  z.object({ kind: z.literal("rating"), scores: z.record(z.string(), z.number()) }),
  z.object({ kind: z.literal("ranking"), order: z.array(z.array(z.string()).readonly()).readonly() }),
  z.object({ kind: z.literal("abstention"), reason: z.string() }),
  z.object({ kind: z.literal("contest"), target: z.enum(CONTEST_TARGETS), reason: z.string() }),
]);

export const judgment = z.object({
  id: z.string(),
  kind: z.enum(JUDGMENT_KINDS),
  body: judgmentBody,
  itemId: z.string().nullable(),
  rationale: z.string().nullable(),
  phase: z.enum(PHASES),
  charterVersion: z.number(),
  consentScopes: z.array(z.string()),
  revises: z.string().nullable(),
  isCurrent: z.boolean(),
  timeOnTaskMs: z.number().nullable(),
  createdAt: timestamp,
});

const revealedSubject = z.object({ id: z.string(), name: z.string(), kind: z.enum(SUBJECT_KINDS), organisation: z.string().nullable() });
export const revealed = z.object({ key: z.string(), subject: revealedSubject.nullable() });
export const castResult = z.object({ judgment, revealed: z.array(revealed) });
export const judgmentEnvelope = z.object({ judgment });

export const myJudgments = z.object({
  judgments: z.array(
    judgment.extend({
      item: z.object({ id: z.string(), title: z.string(), prompt: z.string() }).nullable(),
      responses: z.array(z.object({ text: z.string(), key: z.string(), subject: revealedSubject.nullable() })),
    }),
  ),
});

/** A subject's connector, redacted: never the key, never credentials in the URL. */
export const endpointView = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("openai_compatible"),
    baseURL: z.string(),
    model: z.string(),
    apiKey: z.enum(["set", "not set"]),
    includeUsage: z.boolean().optional(),
    requestTimeoutMs: z.number().optional(),
    stallTimeoutMs: z.number().optional(),
    maxRetries: z.number().optional(),
    retryBaseDelayMs: z.number().optional(),
    retryMaxDelayMs: z.number().optional(),
    maxRetryAfterMs: z.number().optional(),
    maxConcurrency: z.number().optional(),
  }),
  z.object({
    kind: z.literal("gguf"),
    modelPath: z.string(),
    contextSize: z.number().optional(),
    stallTimeoutMs: z.number().optional(),
    maxConcurrency: z.number().optional(),
    threads: z.number().optional(),
  }),
]);
export const endpointEnvelope = z.object({ endpoint: endpointView });

/**
 * POST /api/evaluations/:id/live-battles answers a text/event-stream, not JSON: each event's data, by event name.
 * `ready` carries the assignment to judge; `error` ends the stream after it started (a refusal before it is problem+json).
 */
export const liveBattleEvents = {
  delta: z.object({ side: z.enum(["a", "b"]), text: z.string() }),
  retry: z.object({ reason: z.string() }),
  ready: assignment,
  error: z.object({ code: z.string(), detail: z.string() }),
};
