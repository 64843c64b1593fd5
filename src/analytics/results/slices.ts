/**
 * Boards per slice (use case, language, item tag, participant community): Bradley–Terry on each slice's own
 * votes with its own intervals, shown only when at least k distinct people contributed to the slice, and the
 * rank flips between slices. Each dimension's slices, with "none" for votes outside any slice, are gated as a
 * published partition (core/k-anonymity.ts), so a hidden slice cannot be recovered from the others.
 */
import { gateByContributors, type SuppressionMarker } from "../../core/k-anonymity.ts";
import { runBradleyTerry } from "./bt-rule.ts";
import { compareOrders, type OrderComparison } from "./sensitivity.ts";
import { ResultsError, type BtIntervalMethod, type PairRow, type RuleResult } from "./types.ts";

export const SLICE_DIMENSIONS = ["useCase", "language", "tag", "community"] as const;
export type SliceDimension = (typeof SLICE_DIMENSIONS)[number];

export interface SliceInput {
  readonly dimension: SliceDimension;
  /** null: votes outside every slice of the dimension (no use case, no community, …) */
  readonly key: string | null;
  /** distinct people behind the slice's votes */
  readonly contributors: number;
  readonly rows: readonly PairRow[];
}

export interface SliceBoard {
  readonly key: string;
  readonly contributors: number;
  readonly board: RuleResult | null;
  readonly warnings: readonly string[];
  /** against the board over all votes */
  readonly vsOverall: (OrderComparison & { readonly flippedCount: number }) | null;
}

export interface SliceDimensionView {
  readonly dimension: SliceDimension;
  readonly slices: readonly SliceBoard[];
  /** slices not shown (fewer than k contributors, or hidden so that they cannot be recovered) */
  readonly hiddenSlices: number;
  readonly suppressed: SuppressionMarker | null;
  /** every two shown slices: Kendall's τ-b and the pairs whose order flips (first few listed) */
  readonly flips: readonly (OrderComparison & { readonly slices: readonly [string, string]; readonly flippedCount: number })[];
}

const MAX_FLIPS_LISTED = 10;
const MAX_SLICES_SHOWN = 12;

interface SliceOptions {
  readonly rounds: number;
  readonly seed: number;
  readonly overall: RuleResult | null;
  /** the slices' Bradley–Terry intervals (default bootstrap, `rounds` rounds) */
  readonly intervals?: BtIntervalMethod;
}

export function sliceBoards(subjects: readonly string[], slices: readonly SliceInput[], options: SliceOptions & { k: number }): SliceDimensionView[] {
  return SLICE_DIMENSIONS.flatMap((dimension) => {
    const own = slices.filter((s) => s.dimension === dimension);
    if (own.filter((s) => s.key !== null).length === 0) return [];
    const NONE = "\u0000none";
    const gate = gateByContributors(own.map((s) => ({ key: s.key ?? NONE, count: s.contributors })), options.k);
    const shown = own
      .filter((s): s is SliceInput & { key: string } => s.key !== null && gate.shown.has(s.key))
      .sort((x, y) => y.contributors - x.contributors || (x.key < y.key ? -1 : 1))
      .slice(0, MAX_SLICES_SHOWN)
      .map((s) => sliceBoard(subjects, s, options));
    const hiddenSlices = own.filter((s) => s.key !== null && !gate.shown.has(s.key)).length;
    return [{ dimension, slices: shown, hiddenSlices, suppressed: hiddenSlices > 0 ? (gate.hidden.values().next().value ?? null) : null, flips: flipsBetween(shown) }];
  });
}

function sliceBoard(subjects: readonly string[], slice: SliceInput & { key: string }, options: SliceOptions): SliceBoard {
  try {
    const board = runBradleyTerry({ subjects, pairs: slice.rows }, { rounds: options.rounds, seed: options.seed, ...(options.intervals ? { intervals: options.intervals } : {}) });
    const vsOverall = options.overall ? capped(compareOrders(scores(board), scores(options.overall))) : null;
    return { key: slice.key, contributors: slice.contributors, board, warnings: [], vsOverall };
  } catch (error) {
    if (error instanceof ResultsError) return { key: slice.key, contributors: slice.contributors, board: null, warnings: [error.message], vsOverall: null };
    throw error;
  }
}

function scores(result: RuleResult): Map<string, number> {
  return new Map(result.subjects.map((s) => [s.name, s.score]));
}

function capped<T extends OrderComparison>(comparison: T): T & { flippedCount: number } {
  return { ...comparison, flipped: comparison.flipped.slice(0, MAX_FLIPS_LISTED), flippedCount: comparison.flipped.length };
}

function flipsBetween(shown: readonly SliceBoard[]) {
  const boards = shown.filter((s): s is SliceBoard & { board: RuleResult } => s.board !== null);
  return boards.flatMap((x, i) => boards.slice(i + 1).map((y) => ({ slices: [x.key, y.key] as const, ...capped(compareOrders(scores(x.board), scores(y.board))) })));
}
