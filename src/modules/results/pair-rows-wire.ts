/**
 * Pair rows as they cross to a results worker and back into objects there: one Float64Array of six numbers a row,
 * cloned in one copy. Thousands of small objects per task (the board, each community, each slice) took tens of
 * milliseconds of the server thread a page to clone, and as long again to rebuild.
 */
import type { BeyondInput } from "../../analytics/results/beyond-arena.ts";
import type { PairRow, ResultsInput } from "../../analytics/results/types.ts";

const WIDTH = 6;

export interface PackedRows {
  readonly packed: Float64Array;
}

export function packRows(rows: readonly PairRow[]): PackedRows {
  const packed = new Float64Array(rows.length * WIDTH);
  rows.forEach((row, k) => packed.set([row.a, row.b, row.winsA, row.winsB, row.ties, row.bothBad], k * WIDTH));
  return { packed };
}

export function unpackRows({ packed }: PackedRows): PairRow[] {
  return Array.from({ length: packed.length / WIDTH }, (_, k) => {
    const at = k * WIDTH;
    return { a: packed[at] as number, b: packed[at + 1] as number, winsA: packed[at + 2] as number, winsB: packed[at + 3] as number, ties: packed[at + 4] as number, bothBad: packed[at + 5] as number };
  });
}

/** The rules' input with its pair rows packed, and back. */
export type WireResultsInput = Omit<ResultsInput, "pairs"> & { readonly pairs: PackedRows };
export const packResultsInput = (input: ResultsInput): WireResultsInput => ({ ...input, pairs: packRows(input.pairs) });
export const unpackResultsInput = (input: WireResultsInput): ResultsInput => ({ ...input, pairs: unpackRows(input.pairs) });

/** The beyond-Arena input with its pair rows (the board's and every slice's) packed, and back. */
export type WireBeyondInput = Omit<BeyondInput, "pairs" | "slices"> & {
  readonly pairs: PackedRows;
  readonly slices: readonly (Omit<BeyondInput["slices"][number], "rows"> & { readonly rows: PackedRows })[];
};
export const packBeyondInput = (input: BeyondInput): WireBeyondInput => ({ ...input, pairs: packRows(input.pairs), slices: input.slices.map((slice) => ({ ...slice, rows: packRows(slice.rows) })) });
export const unpackBeyondInput = (input: WireBeyondInput): BeyondInput => ({ ...input, pairs: unpackRows(input.pairs), slices: input.slices.map((slice) => ({ ...slice, rows: unpackRows(slice.rows) })) });
