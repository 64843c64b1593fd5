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
import type { Vote } from "../../analytics/opinion/types.ts";
import { latestVotes, type PolisVoteEvent } from "../polis/conversation.ts";
import { moderationToPolis, type StatementModeration } from "../polis/votes.ts";
import { agreeCounts, commentsCsv, votesCsv, type CommentColumn, type PolisComment } from "../polis/write-export.ts";
import { pseudonymise, result, type ExportResult, type WriterOptions } from "./rows.ts";

const POLIS_COMMENTS_PATH = "comments.csv";
const POLIS_VOTES_PATH = "votes.csv";
/** the columns of Polis's own comments.csv (compdemocracy/openData) */
const EXPORT_COMMENT_COLUMNS: readonly CommentColumn[] = ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated", "comment-body"];

/** a statement vote: "agree" | "disagree" | "pass" (the opinion analytics' own type) */
export type StatementVote = Vote;

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

/** Every vote event with Polis's numbers for statement and voter, by time, then statement, then voter. */
function voteEvents(input: PolisExportInput, statementIds: Map<string, number>, people: Map<string, number>): PolisVoteEvent[] {
  return input.votes
    .map((v) => ({ at: v.votedAt.getTime(), statement: lookup(statementIds, v.statementId, "statement"), voter: lookup(people, v.participantId, "voter"), vote: v.vote }))
    .sort((a, b) => a.at - b.at || a.statement - b.statement || a.voter - b.voter)
    .map(({ at, statement, voter, vote }) => ({ at, statement: String(statement), participant: String(voter), vote }));
}

function comments(input: PolisExportInput, statementIds: Map<string, number>, people: Map<string, number>, counted: readonly PolisVoteEvent[]): PolisComment[] {
  const counts = agreeCounts(counted);
  return [...input.statements]
    .map((s) => ({ s, id: lookup(statementIds, s.statementId, "statement") }))
    .sort((a, b) => a.id - b.id)
    .map(({ s, id }) => ({
      id: String(id),
      authorId: String(lookup(people, s.authorId, "author")),
      createdAt: s.createdAt.getTime(),
      agrees: counts.get(String(id))?.agrees ?? 0,
      disagrees: counts.get(String(id))?.disagrees ?? 0,
      moderation: moderationToPolis(s.moderation),
      isMeta: false,
      text: s.text,
    }));
}

export function writePolisCsv(input: PolisExportInput, options: PolisWriterOptions): ExportResult {
  const statementIds = statementNumbers(input.statements);
  const people = participantNumbers(input, options.salt);
  const events = voteEvents(input, statementIds, people);
  const counted = (options.agreeCounts ?? "last_vote") === "last_vote" ? latestVotes(events) : events;
  return result([
    { path: POLIS_COMMENTS_PATH, content: commentsCsv(comments(input, statementIds, people, counted), EXPORT_COMMENT_COLUMNS) },
    { path: POLIS_VOTES_PATH, content: votesCsv(events) },
  ]);
}
