/** Merging rankings inside separate groups (e.g. OpenAssistant sibling replies), and agreement with a published order. */
import { bordaScores } from "./borda.ts";
import { rankedPairsScores, tallyFromBallots } from "./ranked-pairs.ts";
import type { RankingBallot } from "./types.ts";

export type GroupRule = "ranked-pairs" | "borda";

/** Dense merged rank per subject (0 = best; equal scores share a rank). */
export function mergedRanks(subjectCount: number, ballots: readonly RankingBallot[], rule: GroupRule): number[] {
  const scores = rule === "borda" ? bordaScores(subjectCount, ballots) : rankedPairsScores(tallyFromBallots(subjectCount, ballots));
  const distinct = [...new Set(scores)].sort((x, y) => y - x);
  return Array.from(scores, (score) => distinct.indexOf(score));
}

/** Dense form of a published rank (0 = best), so gaps in the source do not count as disagreement. */
export function denseRanks(ranks: readonly number[]): number[] {
  const distinct = [...new Set(ranks)].sort((x, y) => x - y);
  return ranks.map((rank) => distinct.indexOf(rank));
}

export interface GroupAgreement {
  readonly groups: number;
  /** groups whose merged order equals the published one exactly */
  readonly reproduced: number;
  readonly rate: number;
  /** indices of groups that differ */
  readonly differing: readonly number[];
}

export function agreementWithPublished(
  groups: readonly { readonly replies: readonly unknown[]; readonly rankings: readonly RankingBallot[]; readonly publishedRank: readonly number[] }[],
  rule: GroupRule,
): GroupAgreement {
  const differing: number[] = [];
  groups.forEach((group, index) => {
    const merged = mergedRanks(group.replies.length, group.rankings, rule);
    const published = denseRanks(group.publishedRank);
    if (merged.some((rank, i) => rank !== published[i])) differing.push(index);
  });
  const reproduced = groups.length - differing.length;
  return { groups: groups.length, reproduced, rate: groups.length > 0 ? reproduced / groups.length : 0, differing };
}
