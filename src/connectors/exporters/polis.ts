/**
 * Polis CSV export: `comments.csv` (statements) and `votes.csv` (vote events), with the columns of
 * Polis's own exports (compdemocracy/openData).
 *
 * The numeric vote convention (agree = +1, disagree = −1, pass = 0, as Polis's CSV exports use it) is
 * not restated here: it comes from the Polis connector's `voteToPolisExport`, its one home.
 *
 * Polis ids are integers. Statements are numbered 0.. by creation time (then id); participants
 * (voters and authors together) are numbered 0.. in the order of their salted pseudonyms, so the
 * numbering depends on the export's salt and is not stable across exports. `moderated` is 1 accepted,
 * 0 unmoderated, −1 rejected.
 *
 * `agrees` / `disagrees` in comments.csv: by default each participant's LAST vote counts (one person, one
 * count: the last vote wins). Polis's own exports count every agree/disagree EVENT, superseded votes
 * included (checked on bg2050-volunteers: event counts reproduce all 371 comments, last-vote counts
 * differ on 32); `agreeCounts: "every_event"` reproduces that for tools that compare against Polis.
 */
import { stringify } from "csv-stringify/sync";
import type { Vote } from "../../analytics/opinion/types.ts";
import { voteToPolisExport } from "../polis/votes.ts";
import { pseudonymise, result, type ExportResult, type WriterOptions } from "./rows.ts";

export const POLIS_COMMENTS_PATH = "comments.csv";
export const POLIS_VOTES_PATH = "votes.csv";

/** a statement vote: "agree" | "disagree" | "pass" (the opinion analytics' own type) */
export type StatementVote = Vote;
export type StatementModeration = "accepted" | "unmoderated" | "rejected";

export interface StatementExportRow {
  readonly statementId: string;
  readonly authorId: string;
  readonly text: string;
  readonly createdAt: Date;
  readonly moderation: StatementModeration;
}

export interface StatementVoteExportRow {
  readonly statementId: string;
  readonly participantId: string;
  readonly vote: StatementVote;
  readonly votedAt: Date;
}

export type AgreeCountMode = "last_vote" | "every_event";

export interface PolisWriterOptions extends WriterOptions {
  /** how comments.csv counts agrees/disagrees; default "last_vote" */
  readonly agreeCounts?: AgreeCountMode;
}

export interface PolisExportInput {
  readonly statements: readonly StatementExportRow[];
  /** every vote event (history included); rows for statements not in `statements` are refused */
  readonly votes: readonly StatementVoteExportRow[];
}

function polisModeration(moderation: StatementModeration): 1 | 0 | -1 {
  return moderation === "accepted" ? 1 : moderation === "rejected" ? -1 : 0;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function statementNumbers(statements: readonly StatementExportRow[]): Map<string, number> {
  const ordered = [...statements].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || compareStrings(a.statementId, b.statementId));
  return new Map(ordered.map((s, index) => [s.statementId, index]));
}

function participantNumbers(input: PolisExportInput, salt: string): Map<string, number> {
  const ids = new Set<string>([...input.statements.map((s) => s.authorId), ...input.votes.map((v) => v.participantId)]);
  const pseudonyms = [...ids].map((id) => ({ id, pseudonym: pseudonymise(id, salt) }));
  pseudonyms.sort((a, b) => compareStrings(a.pseudonym, b.pseudonym));
  return new Map(pseudonyms.map((p, index) => [p.id, index]));
}

function lookup(numbers: Map<string, number>, id: string, what: string): number {
  const number = numbers.get(id);
  if (number === undefined) throw new RangeError(`${what} ${id} is not part of this export`);
  return number;
}

function lastVotes(votes: readonly StatementVoteExportRow[]): StatementVoteExportRow[] {
  const last = new Map<string, StatementVoteExportRow>();
  for (const vote of votes) {
    const key = JSON.stringify([vote.statementId, vote.participantId]);
    const previous = last.get(key);
    if (!previous || vote.votedAt.getTime() >= previous.votedAt.getTime()) last.set(key, vote);
  }
  return [...last.values()];
}

function agreeCounts(votes: readonly StatementVoteExportRow[], mode: AgreeCountMode): Map<string, { agrees: number; disagrees: number }> {
  const counted = mode === "last_vote" ? lastVotes(votes) : votes;
  const counts = new Map<string, { agrees: number; disagrees: number }>();
  for (const vote of counted) {
    const entry = counts.get(vote.statementId) ?? { agrees: 0, disagrees: 0 };
    if (vote.vote === "agree") entry.agrees += 1;
    if (vote.vote === "disagree") entry.disagrees += 1;
    counts.set(vote.statementId, entry);
  }
  return counts;
}

function commentsCsv(input: PolisExportInput, statementIds: Map<string, number>, people: Map<string, number>, mode: AgreeCountMode): string {
  const counts = agreeCounts(input.votes, mode);
  const rows = [...input.statements]
    .sort((a, b) => lookup(statementIds, a.statementId, "statement") - lookup(statementIds, b.statementId, "statement"))
    .map((s) => {
      const count = counts.get(s.statementId) ?? { agrees: 0, disagrees: 0 };
      return [s.createdAt.getTime(), s.createdAt.toUTCString(), lookup(statementIds, s.statementId, "statement"), lookup(people, s.authorId, "author"), count.agrees, count.disagrees, polisModeration(s.moderation), s.text];
    });
  return stringify(rows, { header: true, columns: ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"], record_delimiter: "unix" });
}

function votesCsv(input: PolisExportInput, statementIds: Map<string, number>, people: Map<string, number>): string {
  const rows = input.votes
    .map((v) => ({ time: v.votedAt.getTime(), statement: lookup(statementIds, v.statementId, "statement"), voter: lookup(people, v.participantId, "voter"), v }))
    .sort((a, b) => a.time - b.time || a.statement - b.statement || a.voter - b.voter)
    .map(({ time, statement, voter, v }) => [time, v.votedAt.toUTCString(), statement, voter, voteToPolisExport(v.vote)]);
  return stringify(rows, { header: true, columns: ["timestamp", "datetime", "comment-id", "voter-id", "vote"], record_delimiter: "unix" });
}

export function writePolisCsv(input: PolisExportInput, options: PolisWriterOptions): ExportResult {
  const statementIds = statementNumbers(input.statements);
  const people = participantNumbers(input, options.salt);
  return result([
    { path: POLIS_COMMENTS_PATH, content: commentsCsv(input, statementIds, people, options.agreeCounts ?? "last_vote") },
    { path: POLIS_VOTES_PATH, content: votesCsv(input, statementIds, people) },
  ]);
}
