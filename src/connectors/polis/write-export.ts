/**
 * Writer of a Polis export folder from a conversation: `comments.csv`, `votes.csv` (one event per
 * latest vote) and `participants-votes.csv` (the matrix, with Polis's columns), agree = +1 as Polis
 * exports it. What `readPolisExport` reads back is the same conversation.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import type { PolisConversation } from "./conversation.ts";
import { voteToPolisExport } from "./votes.ts";

export interface PolisExportWriteOptions {
  /** group label of each participant (participants-votes.csv `group-id`); absent = empty cell */
  readonly groups?: ReadonlyMap<string, string>;
  /** group-informed consensus per statement, written as comments.csv's column when given */
  readonly groupInformedConsensus?: Readonly<Record<string, number>>;
}

function commentRows(conversation: PolisConversation, options: PolisExportWriteOptions): string[][] {
  const agrees = new Map<string, number>();
  const disagrees = new Map<string, number>();
  for (const v of conversation.votes) {
    if (v.vote === "agree") agrees.set(v.statement, (agrees.get(v.statement) ?? 0) + 1);
    if (v.vote === "disagree") disagrees.set(v.statement, (disagrees.get(v.statement) ?? 0) + 1);
  }
  const gic = options.groupInformedConsensus;
  const header = ["timestamp", "comment-id", "author-id", "agrees", "disagrees", "moderated", "is-meta", ...(gic ? ["group-informed-consensus"] : []), "comment-body"];
  const rows = conversation.statements.map((s) => [
    s.createdAt === null ? "" : String(s.createdAt),
    s.id,
    s.authorId,
    String(agrees.get(s.id) ?? 0),
    String(disagrees.get(s.id) ?? 0),
    String(s.moderation),
    String(s.isMeta),
    ...(gic ? [gic[s.id] === undefined ? "" : String(gic[s.id])] : []),
    s.text,
  ]);
  return [header, ...rows];
}

function voteRows(conversation: PolisConversation): string[][] {
  const rows = [...conversation.votes]
    .sort((a, b) => a.at - b.at)
    .map((v) => [String(v.at), new Date(v.at).toUTCString(), v.statement, v.participant, String(voteToPolisExport(v.vote))]);
  return [["timestamp", "datetime", "comment-id", "voter-id", "vote"], ...rows];
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
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "comments.csv"), stringify(commentRows(conversation, options)));
  writeFileSync(path.join(dir, "votes.csv"), stringify(voteRows(conversation)));
  writeFileSync(path.join(dir, "participants-votes.csv"), stringify(matrixRows(conversation, options)));
}
