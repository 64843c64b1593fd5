/**
 * Reader of a Polis export folder: `comments.csv` with either `votes.csv` (vote events; the last
 * vote of a participant on a statement wins) or `participants-votes.csv` (the latest vote matrix).
 * Every problem is a PolisFormatError naming the file and line.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { assembleConversation, type PolisConversation, type PolisStatement, type PolisVoteEvent } from "./conversation.ts";
import { cell, integerCell, readCsvTable, type CsvTable } from "./csv.ts";
import { PolisFormatError } from "./errors.ts";
import { restoreCell } from "../../core/csv-cell.ts";
import { voteFromPolisExport } from "./votes.ts";

/** the metadata columns of participants-votes.csv; every other column is a statement id */
const PARTICIPANT_VOTES_META = ["participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"] as const;

function readStatements(dir: string): PolisStatement[] {
  const table = readCsvTable(dir, "comments.csv", ["comment-id"]);
  const seen = new Set<string>();
  return table.rows.map((row) => {
    const id = cell(table, row, "comment-id");
    if (id === "") throw new PolisFormatError(table.file, row.line, "empty comment-id");
    if (seen.has(id)) throw new PolisFormatError(table.file, row.line, `duplicate comment-id ${id}`);
    seen.add(id);
    const moderation = table.header.includes("moderated") ? (integerCell(table, row, "moderated", [-1, 0, 1]) as -1 | 0 | 1) : 1;
    const isMeta = cell(table, row, "is-meta").toLowerCase() === "true";
    const created = Number(cell(table, row, "timestamp"));
    return {
      id,
      // our own exports neutralise formula-like cells (core/csv-cell.ts); the text is what was written
      text: restoreCell(cell(table, row, "comment-body")),
      authorId: cell(table, row, "author-id"),
      moderation,
      isMeta,
      moderatedOut: isMeta || moderation === -1,
      createdAt: Number.isFinite(created) && cell(table, row, "timestamp") !== "" ? created : null,
    };
  });
}

function knownStatement(table: CsvTable, line: number, known: ReadonlySet<string>, id: string): string {
  if (!known.has(id)) throw new PolisFormatError(table.file, line, `unknown statement id ${id} (not in comments.csv)`);
  return id;
}

function readVoteEvents(dir: string, known: ReadonlySet<string>): PolisVoteEvent[] {
  const table = readCsvTable(dir, "votes.csv", ["comment-id", "voter-id", "vote"]);
  return table.rows.map((row, index) => {
    const statement = knownStatement(table, row.line, known, cell(table, row, "comment-id"));
    const participant = cell(table, row, "voter-id");
    if (participant === "") throw new PolisFormatError(table.file, row.line, "empty voter-id");
    const vote = voteFromPolisExport(integerCell(table, row, "vote", [-1, 0, 1]))!;
    const stamp = Number(cell(table, row, "timestamp"));
    return { participant, statement, vote, at: cell(table, row, "timestamp") !== "" && Number.isFinite(stamp) ? stamp : index };
  });
}

function readVoteMatrix(dir: string, known: ReadonlySet<string>): PolisVoteEvent[] {
  const table = readCsvTable(dir, "participants-votes.csv", ["participant"]);
  const meta = new Set<string>(PARTICIPANT_VOTES_META);
  const statementColumns = table.header.filter((h) => !meta.has(h));
  for (const column of statementColumns) knownStatement(table, 1, known, column);
  const events: PolisVoteEvent[] = [];
  for (const row of table.rows) {
    const participant = cell(table, row, "participant");
    if (participant === "") throw new PolisFormatError(table.file, row.line, "empty participant");
    for (const column of statementColumns) {
      if (cell(table, row, column) === "") continue;
      const vote = voteFromPolisExport(integerCell(table, row, column, [-1, 0, 1]))!;
      events.push({ participant, statement: column, vote, at: 0 });
    }
  }
  return events;
}

/** reads a Polis export folder into a conversation (votes.csv preferred over participants-votes.csv) */
export function readPolisExport(dir: string): PolisConversation {
  const statements = readStatements(dir);
  const known = new Set(statements.map((s) => s.id));
  const fromEvents = existsSync(path.join(dir, "votes.csv"));
  if (!fromEvents && !existsSync(path.join(dir, "participants-votes.csv"))) {
    throw new PolisFormatError("votes.csv", null, `neither votes.csv nor participants-votes.csv in ${dir}`);
  }
  const events = fromEvents ? readVoteEvents(dir, known) : readVoteMatrix(dir, known);
  return assembleConversation(dir, fromEvents ? "votes.csv" : "participants-votes.csv", statements, events);
}

/**
 * Every vote event of `votes.csv` (re-votes included) with its time, for replaying the conversation in
 * time order; participants in order of first appearance in the file, as `readPolisExport` lists them.
 */
export function readPolisVoteEvents(dir: string): { conversation: PolisConversation; events: PolisVoteEvent[] } {
  if (!existsSync(path.join(dir, "votes.csv"))) throw new PolisFormatError("votes.csv", null, `a replay needs votes.csv (vote events with their times) in ${dir}`);
  const conversation = readPolisExport(dir);
  const events = readVoteEvents(dir, new Set(conversation.statements.map((s) => s.id)));
  return { conversation, events };
}

/** Polis's own group of each participant (participants-votes.csv `group-id`; absent = not grouped) */
export function readPolisGroupIds(dir: string): Map<string, string> {
  const table = readCsvTable(dir, "participants-votes.csv", ["participant", "group-id"]);
  const groups = new Map<string, string>();
  for (const row of table.rows) {
    const group = cell(table, row, "group-id");
    if (group !== "") groups.set(cell(table, row, "participant"), group);
  }
  return groups;
}

/** Polis's group-informed consensus per statement (comments.csv `group-informed-consensus`), when exported */
export function readPolisGroupInformedConsensus(dir: string): Map<string, number> {
  const table = readCsvTable(dir, "comments.csv", ["comment-id", "group-informed-consensus"]);
  return new Map(table.rows.map((row) => [cell(table, row, "comment-id"), Number(cell(table, row, "group-informed-consensus"))]));
}
