/**
 * OpenAssistant conversation trees (tree export lines {message_tree_id, prompt} or message export lines,
 * each a root message with nested `replies`). Sibling replies that carry `rank` form one ranking group;
 * the export keeps only the consensus `rank` (0 = best), which becomes the group's ranking judgment.
 */
import { z } from "zod";
import type { RankingBallot } from "../../analytics/results/types.ts";
import type { RankingDataset, RankingGroup } from "./dataset.ts";
import { firstIssue, malformed, parseJsonLines } from "./errors.ts";

export interface OasstMessage {
  message_id: string;
  /** absent in the ranks-only tree export */
  text?: string | undefined;
  role?: string | undefined;
  rank?: number | null | undefined;
  synthetic?: boolean | null | undefined;
  model_name?: string | null | undefined;
  replies?: OasstMessage[] | undefined;
}

const MessageSchema: z.ZodType<OasstMessage> = z.lazy(() =>
  z.object({
    message_id: z.string().min(1),
    text: z.string().optional(),
    role: z.string().optional(),
    rank: z.number().int().nonnegative().nullish(),
    synthetic: z.boolean().nullish(),
    model_name: z.string().nullish(),
    replies: z.array(MessageSchema).optional(),
  }),
);
const Line = z.union([z.object({ message_tree_id: z.string(), prompt: MessageSchema }), MessageSchema]);

export interface OasstTree {
  /** the tree's line in the file (1-based) */
  readonly line: number;
  readonly root: OasstMessage;
}

/** The one OpenAssistant parser: a root message per non-empty line. */
export function parseOasstTrees(text: string): OasstTree[] {
  const lines = parseJsonLines("oasst", text);
  if (lines.length === 0) throw malformed("oasst", "no conversation trees");
  return lines.map(({ line, value }) => {
    const parsed = Line.safeParse(value);
    if (!parsed.success) throw malformed("oasst", `line ${line}: ${firstIssue(parsed.error.issues)}`);
    return { line, root: "prompt" in parsed.data ? parsed.data.prompt : parsed.data };
  });
}

/** A message whose replies carry a rank, with the messages above it in its tree. */
export interface RankedSiblings {
  /** 1-based position of the tree among the file's trees */
  readonly tree: number;
  readonly parent: OasstMessage;
  readonly thread: readonly OasstMessage[];
  readonly ranked: readonly OasstMessage[];
  /** replies beside the ranked ones that carry no rank */
  readonly unranked: number;
}

/** Every message with at least one ranked reply, depth-first in file order. */
export function rankedSiblings(trees: readonly OasstTree[]): RankedSiblings[] {
  const found: RankedSiblings[] = [];
  const visit = (message: OasstMessage, thread: OasstMessage[], tree: number): void => {
    const replies = message.replies ?? [];
    const ranked = replies.filter((reply) => typeof reply.rank === "number");
    if (ranked.length > 0) found.push({ tree, parent: message, thread, ranked, unranked: replies.length - ranked.length });
    for (const reply of replies) visit(reply, [...thread, message], tree);
  };
  trees.forEach(({ root }, index) => visit(root, [], index + 1));
  return found;
}

export function parseOasst(text: string): RankingDataset {
  const siblings = rankedSiblings(parseOasstTrees(text));
  const groups = siblings.filter((s) => s.ranked.length >= 2).map((s) => groupOf(s.parent.message_id, s.ranked));
  if (groups.length === 0) throw malformed("oasst", "no sibling replies with a rank");
  const unranked = siblings.reduce((sum, s) => sum + s.unranked, 0);
  return { kind: "ranking-groups", format: "oasst", groups, excluded: unranked > 0 ? [{ reason: "reply without a rank beside ranked siblings", count: unranked }] : [] };
}

function groupOf(parentId: string, ranked: readonly OasstMessage[]): RankingGroup {
  const publishedRank = ranked.map((reply) => reply.rank ?? 0);
  return {
    parentId,
    replies: ranked.map((reply) => reply.message_id),
    rankings: [ballotFromRanks(publishedRank)],
    publishedRank,
  };
}

/** A ranking ballot from ranks (0 = best): equal ranks form one tie group. */
export function ballotFromRanks(ranks: readonly number[]): RankingBallot {
  const distinct = [...new Set(ranks)].sort((x, y) => x - y);
  return { groups: distinct.map((rank) => ranks.flatMap((value, index) => (value === rank ? [index] : []))) };
}
