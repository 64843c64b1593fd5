/**
 * Who Polis clusters depends on the conversation's history: a participant is "in the conversation" once
 * they have voted on min(7, statements existing then) statements, or, while fewer than 15 participants
 * qualify, once they are among the 15 most active voters; and once in, they stay in. Replaying the vote
 * events in time order reproduces Polis's own set (bg2050: 108 of 108, scoop: 443 of 443, vTaiwan: 1,219
 * of 1,219 plus one).
 */

export interface TimedVote {
  readonly participant: string;
  readonly statement: string;
  readonly at: number;
}

export const IN_CONVERSATION_MIN_VOTES = 7;
export const IN_CONVERSATION_TOP_UP = 15;

export function everInConversation(statementTimes: readonly number[], events: readonly TimedVote[]): string[] {
  const created = [...statementTimes].sort((a, b) => a - b);
  const ordered = events.map((event, index) => ({ event, index })).sort((x, y) => x.event.at - y.event.at || x.index - y.index);
  const voted = new Map<string, Set<string>>();
  const inside = new Set<string>();
  let existing = 0;
  let need = 0;
  let qualified = 0;
  for (const { event } of ordered) {
    while (existing < created.length && (created[existing] as number) <= event.at) existing += 1;
    const statements = voted.get(event.participant) ?? new Set<string>();
    voted.set(event.participant, statements);
    const before = statements.size;
    statements.add(event.statement);
    const required = Math.min(IN_CONVERSATION_MIN_VOTES, existing);
    if (required !== need) {
      need = required;
      qualified = [...voted.values()].filter((s) => s.size >= need).length;
    } else if (before < need && statements.size >= need) {
      qualified += 1;
    }
    if (statements.size >= need) inside.add(event.participant);
    if (qualified < IN_CONVERSATION_TOP_UP) {
      const mostActive = [...voted].sort((x, y) => y[1].size - x[1].size).slice(0, IN_CONVERSATION_TOP_UP);
      for (const [participant] of mostActive) inside.add(participant);
    }
  }
  return [...inside];
}
