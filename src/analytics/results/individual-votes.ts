/** Individual pairwise votes with who cast them, as compact parallel arrays in the order they were cast. */
import type { PairRow } from "./types.ts";

export interface IndividualVotes {
  /** participant keys, in the order of their first vote (never sorted by id: ids differ between installs) */
  readonly participants: readonly string[];
  /** index into `participants`, per vote */
  readonly who: Int32Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** a's score: 1 a won, 0 b won, 0.5 tie or both_bad */
  readonly scoreA: Float64Array;
}

/** Pair rows (a < b) from the votes of the participants `keep` accepts (all when absent). */
export function rowsOfVotes(votes: IndividualVotes, keep?: (participant: number) => boolean): PairRow[] {
  const rows = new Map<number, { a: number; b: number; winsA: number; winsB: number; ties: number; bothBad: number }>();
  const width = widthOf(votes);
  for (let k = 0; k < votes.who.length; k++) {
    if (keep && !keep(votes.who[k] ?? 0)) continue;
    addVote(rows, width, votes.a[k] ?? 0, votes.b[k] ?? 0, votes.scoreA[k] ?? 0.5, 1);
  }
  return [...rows.values()].sort((x, y) => x.a - y.a || x.b - y.b);
}

/** Per participant, their votes collapsed to pair rows (index = participant). */
export function rowsPerParticipant(votes: IndividualVotes): PairRow[][] {
  const perParticipant = votes.participants.map(() => new Map<number, { a: number; b: number; winsA: number; winsB: number; ties: number; bothBad: number }>());
  const width = widthOf(votes);
  for (let k = 0; k < votes.who.length; k++) {
    const rows = perParticipant[votes.who[k] ?? 0];
    if (rows) addVote(rows, width, votes.a[k] ?? 0, votes.b[k] ?? 0, votes.scoreA[k] ?? 0.5, 1);
  }
  return perParticipant.map((rows) => [...rows.values()]);
}

function addVote(rows: Map<number, { a: number; b: number; winsA: number; winsB: number; ties: number; bothBad: number }>, width: number, a: number, b: number, scoreA: number, count: number): void {
  if (a === b) return;
  const low = Math.min(a, b);
  const high = Math.max(a, b);
  const key = low * width + high;
  let row = rows.get(key);
  if (!row) {
    row = { a: low, b: high, winsA: 0, winsB: 0, ties: 0, bothBad: 0 };
    rows.set(key, row);
  }
  const lowScore = a === low ? scoreA : 1 - scoreA;
  if (lowScore === 1) row.winsA += count;
  else if (lowScore === 0) row.winsB += count;
  else row.ties += count;
}

function widthOf(votes: IndividualVotes): number {
  let largest = 0;
  for (let k = 0; k < votes.a.length; k++) largest = Math.max(largest, votes.a[k] ?? 0, votes.b[k] ?? 0);
  return largest + 1;
}
