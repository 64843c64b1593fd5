/** Deliberation: threads and moderation, statements and votes, the opinion map and the deliberative poll. */
import { z } from "zod";
import { PHASES } from "../core/evaluation.ts";
import { timestamp } from "./common.ts";

export const MODERATION_ACTIONS = ["accept", "hide", "restore", "reject", "unmoderate"] as const;
export const STATEMENT_VOTES = ["agree", "disagree", "pass"] as const;

export const deliberationSettings = z.object({ statementModeration: z.enum(["strict", "permissive"]) });

export const moderationAction = z.object({
  id: z.number(),
  targetKind: z.enum(["post", "statement"]),
  targetId: z.string(),
  action: z.enum(MODERATION_ACTIONS),
  by: z.string(),
  reason: z.string(),
  at: timestamp,
});

export const post = z.object({
  versions: z.array(z.object({ version: z.number(), text: z.string().nullable(), at: timestamp })).optional(),
  id: z.string(),
  parentId: z.string().nullable(),
  target: z.object({ kind: z.enum(["response", "item", "evaluation", "result"]), id: z.string() }),
  author: z.object({ role: z.enum(["organiser", "participant"]), pseudonym: z.string().nullable() }),
  mine: z.boolean(),
  text: z.string().nullable(),
  hidden: z.boolean(),
  moderation: moderationAction.omit({ id: true, targetKind: true, targetId: true }).nullable(),
  moderationHistory: z.array(moderationAction),
  version: z.number(),
  createdAt: timestamp,
  editedAt: timestamp.nullable(),
  flags: z.object({ count: z.number(), reasons: z.array(z.string()).nullable() }),
});
export const thread = z.object({ posts: z.array(post) });
export const postEnvelope = z.object({ post });
export const moderationLog = z.object({ actions: z.array(moderationAction) });

export const statement = z.object({
  id: z.string(),
  text: z.string(),
  author: z.object({ role: z.enum(["organiser", "participant", "imported"]) }),
  mine: z.boolean(),
  moderation: z.enum(["rejected", "accepted", "unmoderated"]),
  isMeta: z.boolean(),
  externalRef: z.string().nullable(),
  createdAt: timestamp,
  votes: z.object({ agree: z.number(), disagree: z.number(), pass: z.number() }).nullable(),
  myVote: z.enum(STATEMENT_VOTES).nullable(),
});
export const statementList = z.object({ statementModeration: z.enum(["strict", "permissive"]), kAnonymity: z.number(), statements: z.array(statement) });
export const statementEnvelope = z.object({ statement });
export const nextStatements = z.object({
  rule: z.object({ fromOpinionMap: z.boolean(), name: z.literal("polis-comment-priority"), formula: z.string(), draw: z.string(), priorities: z.string() }),
  remaining: z.number(),
  /** no priority is published: exact priorities could be inverted into hidden tallies */
  statements: z.array(statement),
});

export const statementVote = z.object({ id: z.number(), statementId: z.string(), vote: z.enum(STATEMENT_VOTES), phase: z.string(), isCurrent: z.boolean(), at: timestamp });
export const myStatementVotes = z.object({ votes: z.array(statementVote) });
export const voteResult = z.object({ vote: statementVote, history: z.array(statementVote) });
export const polisImportSummary = z.object({ statements: z.number(), participants: z.number(), votes: z.number() });

const statementShare = z.object({ share: z.number(), statementId: z.string(), text: z.string() });
const opinionGroup = z.discriminatedUnion("suppressed", [
  z.object({ id: z.number(), suppressed: z.literal(true), reason: z.enum(["below_k", "complementary", "differencing"]) }),
  z.object({
    id: z.number(),
    suppressed: z.literal(false),
    participants: z.number(),
    center: z.tuple([z.number(), z.number()]).readonly(),
    representative: z.array(statementShare.extend({ repfulFor: z.enum(["agree", "disagree"]), successes: z.number(), trials: z.number(), repness: z.number() })),
  }),
]);
/** which stored update a map is: its number, when it was computed, from how many votes, and how many arrived since */
export const opinionMapUpdate = z.object({ version: z.number(), computedAt: timestamp, votes: z.number(), votesSince: z.number() });
/**
 * one update of the map's history: group sizes only, null below k (or hidden against differencing);
 * sizesWithheld: all of them withheld, some group having changed by fewer than k people against an earlier
 * update whose sizes were published (the current map's groups are then hidden too, reason "differencing")
 */
export const opinionMapHistoryEntry = z.object({
  version: z.number(),
  computedAt: timestamp,
  votes: z.number(),
  groupCount: z.number(),
  sizesWithheld: z.boolean(),
  groups: z.array(z.object({ id: z.number(), participants: z.number().nullable() })),
});
export const opinionMap = z.discriminatedUnion("available", [
  z.object({ available: z.literal(false), reason: z.string(), kAnonymity: z.number() }),
  z.object({
    available: z.literal(true),
    kAnonymity: z.number(),
    update: opinionMapUpdate,
    history: z.array(opinionMapHistoryEntry),
    you: z
      .discriminatedUnion("inMap", [
        z.object({ inMap: z.literal(false), reason: z.string() }),
        z.object({ inMap: z.literal(true), position: z.tuple([z.number(), z.number()]).readonly(), groupId: z.number().nullable() }),
      ])
      .nullable(),
    rule: z.object({ name: z.literal("polis-opinion-map"), version: z.literal(2), parameters: z.record(z.string(), z.number()) }),
    counts: z.object({ participants: z.number(), statements: z.number(), votes: z.number(), clustered: z.number().nullable() }),
    excludedParticipants: z.number().nullable(),
    groups: z.array(opinionGroup),
    consensus: z.object({ agree: z.array(statementShare), disagree: z.array(statementShare) }),
    groupInformedConsensus: z.array(z.object({ value: z.number(), statementId: z.string(), text: z.string() })),
  }),
]);

const pollCellKey = { itemId: z.string().nullable(), subject: z.object({ id: z.string(), name: z.string().nullable() }) };
/** One cell of the deliberative poll: suppressed below k, or the measure before and after with how judgments moved. */
function pollCell<M extends string, C extends z.ZodRawShape, K extends z.ZodRawShape>(measure: M, change: C, key: K) {
  return z.discriminatedUnion("suppressed", [
    z.object({ ...pollCellKey, ...key, suppressed: z.literal(true), reason: z.literal("below_k") }),
    z.object({
      ...pollCellKey,
      ...key,
      suppressed: z.literal(false),
      participants: z.number(),
      judgments: z.number(),
      before: z.object({ [measure]: z.number(), judgments: z.number() } as Record<M | "judgments", z.ZodNumber>),
      after: z.object({ [measure]: z.number().nullable(), judgments: z.number(), participants: z.number() } as Record<M, z.ZodNullable<z.ZodNumber>> & Record<"judgments" | "participants", z.ZodNumber>),
      change: z.object(change),
    }),
  ]);
}
const shift = { moved: z.number(), up: z.number(), down: z.number(), withdrew: z.number() };
export const deliberativePoll = z.object({
  rule: z.object({
    name: z.literal("deliberative-poll"),
    version: z.literal(1),
    parameters: z.object({ kAnonymity: z.number() }),
    before: z.string(),
    after: z.string(),
    pairwise: z.string(),
    ratings: z.string(),
    rankings: z.string(),
    counted: z.string(),
    suppression: z.string(),
  }),
  phase: z.enum(PHASES),
  pairwise: z.array(pollCell("winShare", { moved: z.number(), toward: z.number(), away: z.number(), withdrew: z.number(), sideways: z.number() }, {})),
  ratings: z.array(pollCell("mean", shift, { dimension: z.string().optional() })),
  rankings: z.array(pollCell("meanPosition", shift, {})),
  excluded: z.object({ judgmentsWithoutBefore: z.number(), judgmentsWithoutAggregateConsent: z.number() }),
});
