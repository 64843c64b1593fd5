/** Shared assembly of a Polis conversation: statements, latest votes, participants in order. */
import type { OpinionConversation, OpinionStatement, Vote } from "../../analytics/opinion/types.ts";
import { everInConversation } from "../../analytics/opinion/in-conversation.ts";
import { PolisFormatError } from "./errors.ts";

export interface PolisStatement extends OpinionStatement {
  readonly text: string;
  readonly authorId: string;
  /** Polis moderation state: 1 accepted, 0 unmoderated, -1 rejected */
  readonly moderation: -1 | 0 | 1;
  readonly createdAt: number | null;
}

export interface PolisVoteEvent {
  readonly participant: string;
  readonly statement: string;
  readonly vote: Vote;
  readonly at: number;
}

export interface PolisConversation extends OpinionConversation {
  readonly statements: readonly PolisStatement[];
  /** the latest vote of each participant on each statement, with its time */
  readonly votes: readonly PolisVoteEvent[];
  readonly source: string;
}

/** sorts statements by numeric id when all ids are numeric (Polis's tid order) */
function orderStatements(statements: PolisStatement[]): PolisStatement[] {
  const numeric = statements.every((s) => /^-?\d+$/.test(s.id));
  return numeric ? statements.sort((a, b) => Number(a.id) - Number(b.id)) : statements;
}

/** The last vote of each (participant, statement) pair by time; file order breaks ties. */
export function latestVotes<T extends Pick<PolisVoteEvent, "participant" | "statement" | "at">>(events: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const event of events) {
    const key = `${event.participant}\u0000${event.statement}`;
    const previous = latest.get(key);
    if (!previous || previous.at <= event.at) latest.set(key, event);
  }
  return [...latest.values()];
}

/**
 * Keeps the latest votes and lists participants by first appearance. Rejects an empty conversation and a single participant.
 */
export function assembleConversation(
  source: string,
  voteFile: string,
  statements: PolisStatement[],
  events: readonly PolisVoteEvent[],
): PolisConversation {
  const participants = [...new Set(events.map((event) => event.participant))];
  const latest = latestVotes(events);
  if (statements.length === 0) throw new PolisFormatError(voteFile, null, "the conversation has no statements");
  if (latest.length === 0) throw new PolisFormatError(voteFile, null, "the conversation has no votes");
  if (participants.length < 2) {
    throw new PolisFormatError(voteFile, null, `only ${participants.length} participant voted; an opinion map needs at least 2`);
  }
  const timed = statements.every((s) => s.createdAt !== null) && events.every((e) => e.at > 0);
  const inConversation = timed ? everInConversation(statements.map((s) => s.createdAt as number), events) : undefined;
  return { source, statements: orderStatements(statements), participants, votes: latest, ...(inConversation ? { inConversation } : {}) };
}
