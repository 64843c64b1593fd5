/**
 * The participant × statement vote matrix, kept sparse (CSR): only the votes cast are stored.
 * Inside this kernel a vote is encoded agree = +1, disagree = -1, pass = 0; that encoding never
 * leaves the analytics (results name the vote, or report means on this stated scale).
 */
import { AppError } from "../../core/errors.ts";
import type { OpinionConversation, Vote } from "./types.ts";

export const VOTE_CODE: Readonly<Record<Vote, number>> = { agree: 1, disagree: -1, pass: 0 };

export interface VoteMatrix {
  readonly participantIds: readonly string[];
  readonly statementIds: readonly string[];
  /** rowStart[i]..rowStart[i+1] index the votes of participant i */
  readonly rowStart: Int32Array;
  readonly column: Int32Array;
  readonly value: Int8Array;
  /** statements kept out of PCA, repness and consensus (moderated out or meta) */
  readonly moderatedOut: Uint8Array;
  readonly isMeta: Uint8Array;
}

export class OpinionInputError extends AppError<"invalid_input"> {
  constructor(message: string) {
    super("invalid_input", message);
  }
}

/**
 * Builds the matrix from coordinate arrays (one entry per vote, at most one per cell) by a counting
 * sort on rows, in O(votes + participants).
 */
export function matrixFromTriplets(
  participantIds: readonly string[],
  statementIds: readonly string[],
  rows: Int32Array,
  columns: Int32Array,
  values: Int8Array,
  flags: { moderatedOut?: Uint8Array; isMeta?: Uint8Array } = {},
): VoteMatrix {
  const nRows = participantIds.length;
  const rowStart = new Int32Array(nRows + 1);
  for (let k = 0; k < rows.length; k++) rowStart[(rows[k] as number) + 1]! += 1;
  for (let i = 0; i < nRows; i++) rowStart[i + 1]! += rowStart[i]!;
  const cursor = rowStart.slice(0, nRows);
  const column = new Int32Array(rows.length);
  const value = new Int8Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const slot = cursor[rows[k] as number]!++;
    column[slot] = columns[k] as number;
    value[slot] = values[k] as number;
  }
  const nCols = statementIds.length;
  return {
    participantIds,
    statementIds,
    rowStart,
    column,
    value,
    moderatedOut: flags.moderatedOut ?? new Uint8Array(nCols),
    isMeta: flags.isMeta ?? new Uint8Array(nCols),
  };
}

/**
 * The matrix of a conversation. Columns are the statements that received at least one vote (as in
 * Polis, whose rating matrix grows a column on a statement's first vote), in the conversation's order.
 */
export function buildVoteMatrix(conversation: OpinionConversation): VoteMatrix {
  const voted = new Set(conversation.votes.map((v) => v.statement));
  const statements = conversation.statements.filter((s) => voted.has(s.id));
  const colOf = new Map(statements.map((s, j) => [s.id, j]));
  const rowOf = new Map(conversation.participants.map((p, i) => [p, i]));
  const n = conversation.votes.length;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  const vals = new Int8Array(n);
  conversation.votes.forEach((v, k) => {
    const i = rowOf.get(v.participant);
    const j = colOf.get(v.statement);
    if (i === undefined) throw new OpinionInputError(`vote by unknown participant "${v.participant}"`);
    if (j === undefined) throw new OpinionInputError(`vote on unknown statement "${v.statement}"`);
    rows[k] = i;
    cols[k] = j;
    vals[k] = VOTE_CODE[v.vote];
  });
  const matrix = matrixFromTriplets(
    conversation.participants,
    statements.map((s) => s.id),
    rows,
    cols,
    vals,
    {
      moderatedOut: Uint8Array.from(statements, (s) => (s.moderatedOut ? 1 : 0)),
      isMeta: Uint8Array.from(statements, (s) => (s.isMeta ? 1 : 0)),
    },
  );
  rejectDuplicateCells(matrix);
  return matrix;
}

/** one vote per participant and statement: the caller resolves "last vote wins" before */
function rejectDuplicateCells(matrix: VoteMatrix): void {
  const lastRow = new Int32Array(matrix.statementIds.length).fill(-1);
  for (let i = 0; i < matrix.participantIds.length; i++) {
    for (let k = matrix.rowStart[i]!; k < matrix.rowStart[i + 1]!; k++) {
      const j = matrix.column[k]!;
      if (lastRow[j] === i) throw new OpinionInputError(`two votes of "${matrix.participantIds[i]}" on "${matrix.statementIds[j]}"`);
      lastRow[j] = i;
    }
  }
}

/** votes cast by each participant (all statements, moderated ones included, as Polis counts) */
export function rowVoteCounts(matrix: VoteMatrix): Int32Array {
  const counts = new Int32Array(matrix.participantIds.length);
  for (let i = 0; i < counts.length; i++) counts[i] = matrix.rowStart[i + 1]! - matrix.rowStart[i]!;
  return counts;
}

/** mean of each column over the votes cast on it (mean imputation); moderated-out columns are 0 */
export function columnMeans(matrix: VoteMatrix): Float64Array {
  const nCols = matrix.statementIds.length;
  const sum = new Float64Array(nCols);
  const count = new Float64Array(nCols);
  for (let k = 0; k < matrix.column.length; k++) {
    const j = matrix.column[k]!;
    sum[j]! += matrix.value[k]!;
    count[j]! += 1;
  }
  const mean = new Float64Array(nCols);
  for (let j = 0; j < nCols; j++) {
    mean[j] = matrix.moderatedOut[j] || count[j] === 0 ? 0 : sum[j]! / count[j]!;
  }
  return mean;
}
