/**
 * Statement routing: which statements to show a participant next, so that each vote is informative.
 *
 * Polis's comment priority (conversation.clj `priority-metric`), with A agrees, P passes, S votes
 * (pass included) summed over the clustered participants and E the statement's extremity in the
 * opinion map (projection.ts):
 *
 *     importance = (1 − p) · (E + 1) · a,   p = (P + 1)/(S + 2),   a = (A + 1)/(S + 2)
 *     priority   = (importance · (1 + 8 · 2^(−S/5)))²      (a meta statement: 7² = 49)
 *
 * Statements that divide the map (large E), that people take a side on (few passes) and that few have
 * seen yet (the 2^(−S/5) boost) come first. Polis then draws the next statement at random with
 * probability proportional to its priority; `nextStatements` does that draw from a seeded PRNG.
 */
import type { VoteMatrix } from "./matrix.ts";
import type { Random } from "./prng.ts";
import { countVotes } from "./stats.ts";

const META_PRIORITY = 7;

export function commentPriority(isMeta: boolean, agrees: number, passes: number, seen: number, extremity: number): number {
  if (isMeta) return META_PRIORITY ** 2;
  const p = (passes + 1) / (seen + 2);
  const a = (agrees + 1) / (seen + 2);
  const importance = (1 - p) * (extremity + 1) * a;
  return (importance * (1 + 8 * 2 ** (-seen / 5))) ** 2;
}

/** priority of every statement (matrix column order), from the votes of the clustered participants */
export function statementPriorities(matrix: VoteMatrix, clustered: Iterable<number>, extremity: Float64Array): Float64Array {
  const counts = countVotes(matrix, clustered);
  return Float64Array.from(matrix.statementIds, (_, j) => {
    const passes = counts.seen[j]! - counts.agree[j]! - counts.disagree[j]!;
    return commentPriority(matrix.isMeta[j] === 1, counts.agree[j]!, passes, counts.seen[j]!, extremity[j]!);
  });
}

export interface RoutingCandidate {
  readonly statement: string;
  readonly priority: number;
  /** moderated out statements are never routed */
  readonly moderatedOut?: boolean;
}

/** the statements not yet voted on by the participant, highest priority first (ties by input order) */
export function rankStatements(candidates: readonly RoutingCandidate[], voted: ReadonlySet<string>): RoutingCandidate[] {
  return candidates
    .filter((c) => !c.moderatedOut && !voted.has(c.statement) && c.priority > 0)
    .sort((a, b) => b.priority - a.priority);
}

/**
 * Draws up to `count` statements without replacement, each with probability proportional to its
 * priority (Efraimidis–Spirakis keys u^(1/priority)), among those the participant has not voted on.
 */
export function nextStatements(
  candidates: readonly RoutingCandidate[],
  voted: ReadonlySet<string>,
  count: number,
  random: Random,
): string[] {
  return rankStatements(candidates, voted)
    .map((c) => ({ statement: c.statement, key: Math.log(Math.max(random(), 1e-300)) / c.priority }))
    .sort((a, b) => b.key - a.key)
    .slice(0, count)
    .map((c) => c.statement);
}
