/**
 * The one Polis CSV writer: `comments.csv`, `votes.csv` and `participants-votes.csv` with Polis's
 * columns, agree = +1 as Polis exports it. `writePolisExport` writes a conversation as a folder that
 * `readPolisExport` reads back as the same conversation; the audited export (exporters/polis.ts) uses
 * the same `commentsCsv` and `votesCsv`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringifyCsv } from "../csv-writer.ts";
import type { PolisConversation, PolisVoteEvent } from "./conversation.ts";
import { voteToPolisExport } from "./votes.ts";

/** One comments.csv row. */
export interface PolisComment {
  readonly id: string;
  readonly authorId: string;
  /** milliseconds since the epoch; null when unknown */
  readonly createdAt: number | null;
  readonly agrees: number;
  readonly disagrees: number;
  readonly moderation: -1 | 0 | 1;
  readonly isMeta: boolean;
  readonly groupInformedConsensus?: number | undefined;
  readonly text: string;
}

const COMMENT_COLUMNS = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "is-meta", "group-informed-consensus", "comment-body"] as const;
export type CommentColumn = (typeof COMMENT_COLUMNS)[number];

const COMMENT_CELLS: Readonly<Record<CommentColumn, (c: PolisComment) => string>> = {
  timestamp: (c) => (c.createdAt === null ? "" : String(c.createdAt)),
  datetime: (c) => (c.createdAt === null ? "" : new Date(c.createdAt).toUTCString()),
  "comment-id": (c) => c.id,
  "author-id": (c) => c.authorId,
  agrees: (c) => String(c.agrees),
  disagrees: (c) => String(c.disagrees),
  moderated: (c) => String(c.moderation),
  "is-meta": (c) => String(c.isMeta),
  "group-informed-consensus": (c) => (c.groupInformedConsensus === undefined ? "" : String(c.groupInformedConsensus)),
  "comment-body": (c) => c.text,
};

/** comments.csv with the given columns, rows in the given order. */
export function commentsCsv(comments: readonly PolisComment[], columns: readonly CommentColumn[]): string {
  return stringifyCsv([[...columns], ...comments.map((c) => columns.map((column) => COMMENT_CELLS[column](c)))]);
}

/** votes.csv: one row per event, in time order (ties keep the given order). */
export function votesCsv(events: readonly PolisVoteEvent[]): string {
  const rows = [...events]
    .sort((a, b) => a.at - b.at)
    .map((v) => [String(v.at), new Date(v.at).toUTCString(), v.statement, v.participant, String(voteToPolisExport(v.vote))]);
  return stringifyCsv([["timestamp", "datetime", "comment-id", "voter-id", "vote"], ...rows]);
}

/** Agree and disagree counts per statement over the votes given. */
export function agreeCounts(votes: readonly Pick<PolisVoteEvent, "statement" | "vote">[]): Map<string, { agrees: number; disagrees: number }> {
  const counts = new Map<string, { agrees: number; disagrees: number }>();
  for (const vote of votes) {
    const entry = counts.get(vote.statement) ?? { agrees: 0, disagrees: 0 };
    if (vote.vote === "agree") entry.agrees += 1;
    if (vote.vote === "disagree") entry.disagrees += 1;
    counts.set(vote.statement, entry);
  }
  return counts;
}

export interface PolisExportWriteOptions {
  /** group label of each participant (participants-votes.csv `group-id`); absent = empty cell */
  readonly groups?: ReadonlyMap<string, string>;
  /** group-informed consensus per statement, written as comments.csv's column when given */
  readonly groupInformedConsensus?: Readonly<Record<string, number>>;
}

function conversationComments(conversation: PolisConversation, options: PolisExportWriteOptions): PolisComment[] {
  const counts = agreeCounts(conversation.votes);
  return conversation.statements.map((s) => ({
    id: s.id,
    authorId: s.authorId,
    createdAt: s.createdAt,
    agrees: counts.get(s.id)?.agrees ?? 0,
    disagrees: counts.get(s.id)?.disagrees ?? 0,
    moderation: s.moderation,
    isMeta: s.isMeta,
    groupInformedConsensus: options.groupInformedConsensus?.[s.id],
    text: s.text,
  }));
}

function matrixRows(conversation: PolisConversation, options: PolisExportWriteOptions): string[][] {
  const ids = conversation.statements.map((s) => s.id);
  const byParticipant = new Map<string, Map<string, number>>();
  for (const v of conversation.votes) {
    const row = byParticipant.get(v.participant) ?? new Map<string, number>();
    row.set(v.statement, voteToPolisExport(v.vote));
    byParticipant.set(v.participant, row);
  }
  const authored = new Map<string, number>();
  for (const s of conversation.statements) authored.set(s.authorId, (authored.get(s.authorId) ?? 0) + 1);
  const rows = conversation.participants.map((p) => {
    const votes = byParticipant.get(p) ?? new Map<string, number>();
    const values = [...votes.values()];
    return [
      p,
      options.groups?.get(p) ?? "",
      String(authored.get(p) ?? 0),
      String(values.length),
      String(values.filter((x) => x === 1).length),
      String(values.filter((x) => x === -1).length),
      ...ids.map((id) => (votes.has(id) ? String(votes.get(id)) : "")),
    ];
  });
  return [["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", ...ids], ...rows];
}

export function writePolisExport(dir: string, conversation: PolisConversation, options: PolisExportWriteOptions = {}): void {
  const columns = COMMENT_COLUMNS.filter((column) => column !== "datetime" && (column !== "group-informed-consensus" || options.groupInformedConsensus));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "comments.csv"), commentsCsv(conversationComments(conversation, options), columns));
  writeFileSync(path.join(dir, "votes.csv"), votesCsv(conversation.votes));
  writeFileSync(path.join(dir, "participants-votes.csv"), stringifyCsv(matrixRows(conversation, options)));
}
