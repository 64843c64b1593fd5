/**
 * OpenAssistant conversation trees (tree export lines {message_tree_id, prompt} or message export lines,
 * each a root message with nested `replies`). Sibling replies that carry `rank` form one ranking group;
 * the export keeps only the consensus `rank` (0 = best), which becomes the group's ranking judgment.
 */
import { z } from "zod";
import type { RankingBallot } from "../../analytics/results/types.ts";
import { firstIssue } from "./arena-pairs.ts";
import type { RankingDataset, RankingGroup } from "./dataset.ts";
import { malformed, parseJsonLines } from "./errors.ts";

interface Message {
  message_id: string;
  rank?: number | null | undefined;
  deleted?: boolean | undefined;
  replies?: Message[] | undefined;
}

const MessageSchema: z.ZodType<Message> = z.lazy(() =>
  z.object({
    message_id: z.string(),
    rank: z.number().int().nonnegative().nullable().optional(),
    deleted: z.boolean().optional(),
    replies: z.array(MessageSchema).optional(),
  }),
);
const Line = z.union([z.object({ message_tree_id: z.string(), prompt: MessageSchema }), MessageSchema]);

export function parseOasst(text: string): RankingDataset {
  const lines = parseJsonLines("oasst", text);
  if (lines.length === 0) throw malformed("oasst", "no conversation trees");
  const groups: RankingGroup[] = [];
  let unranked = 0;
  lines.forEach((value, k) => {
    const parsed = Line.safeParse(value);
    if (!parsed.success) throw malformed("oasst", `line ${k + 1}: ${firstIssue(parsed.error.issues)}`);
    const root = "prompt" in parsed.data ? parsed.data.prompt : parsed.data;
    walk(root, (message) => {
      const replies = message.replies ?? [];
      const ranked = replies.filter((reply) => typeof reply.rank === "number");
      if (ranked.length === 0) return;
      unranked += replies.length - ranked.length;
      if (ranked.length >= 2) groups.push(groupOf(message.message_id, ranked));
    });
  });
  if (groups.length === 0) throw malformed("oasst", "no sibling replies with a rank");
  return { kind: "ranking-groups", format: "oasst", groups, excluded: unranked > 0 ? [{ reason: "reply without a rank beside ranked siblings", count: unranked }] : [] };
}

function walk(message: Message, visit: (message: Message) => void): void {
  visit(message);
  for (const reply of message.replies ?? []) walk(reply, visit);
}

function groupOf(parentId: string, ranked: readonly Message[]): RankingGroup {
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
