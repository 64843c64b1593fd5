/** Borda count over ranking ballots (tie groups share their positions' points). */
import type { RankingBallot } from "./types.ts";

/**
 * Each ballot gives a subject one point per subject it ranks strictly below it, and half a point per
 * subject tied with it; subjects a ballot leaves out get nothing from it.
 */
export function bordaScores(subjectCount: number, ballots: readonly RankingBallot[]): Float64Array {
  const scores = new Float64Array(subjectCount);
  for (const ballot of ballots) {
    let below = ballot.groups.reduce((sum, group) => sum + group.length, 0);
    for (const group of ballot.groups) {
      below -= group.length;
      const points = below + 0.5 * (group.length - 1);
      for (const subject of group) scores[subject] = (scores[subject] ?? 0) + points;
    }
  }
  return scores;
}

/** Borda on pairwise data: the sum, over the opponents a subject met, of its win rate against each. */
export function pairwiseBordaScores(winRates: readonly (readonly (number | null)[])[]): Float64Array {
  return Float64Array.from(winRates, (row) => row.reduce<number>((sum, rate) => sum + (rate ?? 0), 0));
}
