/**
 * The snapshot's rows person by person, for the aggregates that count distinct people (dissent shares, slices):
 * one 16-bit code a row holding everything they test (whether it counts, on which board, whether it shows two
 * subjects' responses, its share figure and its outcome), computed in row order and rearranged once, beside the
 * rearranged subjects and item: four columns read in order instead of a few random reads a row.
 */
import type { Board } from "../../core/charter.ts";
import { JUDGMENT_KINDS, PAIRWISE_OUTCOMES } from "../../core/judgment.ts";
import { countedPairRows, currentCountedRows, FLAG, type JudgmentSnapshot } from "./judgment-snapshot.ts";

/** Bits of a person-order code; the share figure is `code >> SHARE_SHIFT & 7`, the outcome `code >> OUTCOME_SHIFT & 3`. */
export const CODE = {
  /** a current counted judgment (any kind) */
  current: 1,
  /** a counted pairwise judgment on the revised board, with an outcome and two known subjects */
  revisedPair: 2,
  /** the same on the blind board */
  blindPair: 4,
  /** a pairwise judgment showing two responses of two named subjects */
  showsTwo: 8,
} as const;
export const BOARD_CODE: Readonly<Record<Board, number>> = { revised: CODE.revisedPair, blind: CODE.blindPair };
export const SHARE_SHIFT = 4;
export const OUTCOME_SHIFT = 7;

const ABSTENTION = JUDGMENT_KINDS.indexOf("abstention");
const CONTEST = JUDGMENT_KINDS.indexOf("contest");
const TIE = PAIRWISE_OUTCOMES.indexOf("tie");
const BOTH_BAD = PAIRWISE_OUTCOMES.indexOf("both_bad");

/** Which share figure a judgment adds to, besides its total: 0 tie, 1 both_bad, 2 abstention, 3 contest, 4 other. */
export function shareIndex(kind: number, outcome: number): number {
  if (outcome === TIE) return 0;
  if (outcome === BOTH_BAD) return 1;
  if (kind === ABSTENTION) return 2;
  if (kind === CONTEST) return 3;
  return 4;
}

export interface PersonColumns {
  readonly code: Uint16Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly item: Int32Array;
}

const made = new WeakMap<JudgmentSnapshot, PersonColumns>();

/** `column` (one value per row) rearranged in `byPerson`'s order. */
function inPersonOrder<T extends Int32Array | Uint16Array>(byPerson: Uint32Array, column: T, out: T): T {
  for (let k = 0; k < byPerson.length; k++) out[k] = column[byPerson[k] as number] as number;
  return out;
}

/** The person-order columns of a snapshot, made once. */
export function personColumns(snapshot: JudgmentSnapshot): PersonColumns {
  const found = made.get(snapshot);
  if (found) return found;
  const current = currentCountedRows(snapshot);
  const revised = countedPairRows(snapshot, "revised");
  const blind = countedPairRows(snapshot, "blind");
  const { size, kind, outcome, flags, byPerson } = snapshot;
  const rowCode = new Uint16Array(size);
  for (let row = 0; row < size; row++) {
    const result = outcome[row] as number;
    rowCode[row] =
      (current[row] === 1 ? CODE.current : 0) |
      (revised[row] === 1 ? CODE.revisedPair : 0) |
      (blind[row] === 1 ? CODE.blindPair : 0) |
      (((flags[row] as number) & FLAG.showsTwo) !== 0 ? CODE.showsTwo : 0) |
      (shareIndex(kind[row] as number, result) << SHARE_SHIFT) |
      ((result & 3) << OUTCOME_SHIFT);
  }
  const columns = {
    code: inPersonOrder(byPerson, rowCode, new Uint16Array(size)),
    a: inPersonOrder(byPerson, snapshot.a, new Int32Array(size)),
    b: inPersonOrder(byPerson, snapshot.b, new Int32Array(size)),
    item: inPersonOrder(byPerson, snapshot.item, new Int32Array(size)),
  };
  made.set(snapshot, columns);
  return columns;
}
