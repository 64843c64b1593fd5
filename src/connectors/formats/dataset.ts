/** What a parsed evaluation file becomes: pairwise input for the rules, or ranked sibling groups. */
import type { StyleBattles } from "../../analytics/results/style-control.ts";
import type { RankingBallot, ResultsInput } from "../../analytics/results/types.ts";

export const FORMAT_NAMES = ["arena-pairs", "fastchat", "llmfao", "oasst"] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export interface PairwiseDataset {
  readonly kind: "pairwise";
  readonly format: FormatName;
  readonly input: ResultsInput;
  /** true when the file kept the order of individual judgments (Elo can use it) */
  readonly ordered: boolean;
  /** the battles that carry style counts (FastChat's conv_metadata), for style control; absent when none do */
  readonly style?: { readonly battles: StyleBattles; readonly withoutMetadata: number };
}

/** One set of sibling replies ranked together (OpenAssistant): its own small election. */
export interface RankingGroup {
  readonly parentId: string;
  /** reply message ids; the ballot's indices point here */
  readonly replies: readonly string[];
  readonly rankings: readonly RankingBallot[];
  /** the rank the source published for each reply (0 = best) */
  readonly publishedRank: readonly number[];
}

export interface RankingDataset {
  readonly kind: "ranking-groups";
  readonly format: FormatName;
  readonly groups: readonly RankingGroup[];
  /** replies left out, with why */
  readonly excluded: readonly { readonly reason: string; readonly count: number }[];
}

export type Dataset = PairwiseDataset | RankingDataset;
