/**
 * Sparsity-aware projection (Polis, pca.clj `sparsity-aware-project-ptpt`): a participant's centred
 * votes are projected on the components using only the votes cast, then scaled by
 * sqrt(n_statements / n_votes) so that people who voted little are not bunched at the centre.
 * As in Polis, a moderated-out statement is a zeroed column that every participant "has", so it
 * counts in n_votes (and in n_statements).
 */
import type { VoteMatrix } from "./matrix.ts";
import type { PcaResult } from "./pca.ts";

export function projectParticipants(matrix: VoteMatrix, pca: PcaResult): Float64Array {
  const nRows = matrix.participantIds.length;
  const nCols = matrix.statementIds.length;
  let moderatedColumns = 0;
  for (let j = 0; j < nCols; j++) moderatedColumns += matrix.moderatedOut[j]!;
  const [pc1, pc2] = pca.components;
  const out = new Float64Array(2 * nRows);
  for (let i = 0; i < nRows; i++) {
    let x = 0;
    let y = 0;
    let votes = moderatedColumns;
    for (let k = matrix.rowStart[i]!; k < matrix.rowStart[i + 1]!; k++) {
      const j = matrix.column[k]!;
      if (matrix.moderatedOut[j]) continue;
      const d = matrix.value[k]! - pca.center[j]!;
      x += d * pc1[j]!;
      y += d * pc2[j]!;
      votes += 1;
    }
    const scale = Math.sqrt(nCols / Math.max(votes, 1));
    out[2 * i] = x * scale;
    out[2 * i + 1] = y * scale;
  }
  return out;
}

/**
 * Extremity of each statement: the length of the projection of a participant who agreed with that
 * statement only (Polis `pca-project-cmnts`): sqrt(n_statements) · |1 − centerⱼ| · ‖(pc1ⱼ, pc2ⱼ)‖.
 */
export function statementExtremity(pca: PcaResult): Float64Array {
  const n = pca.center.length;
  const [pc1, pc2] = pca.components;
  return Float64Array.from({ length: n }, (_, j) => {
    const d = 1 - pca.center[j]!;
    return Math.sqrt(n) * Math.abs(d) * Math.hypot(pc1[j]!, pc2[j]!);
  });
}
