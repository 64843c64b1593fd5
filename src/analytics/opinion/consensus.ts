/**
 * Consensus statements (Polis `select-consensus-comments`) and group-informed consensus
 * (Polis `group-aware-consensus`).
 */
import type { VoteMatrix } from "./matrix.ts";
import { countVotes, proportionTest, significant90 } from "./stats.ts";
import type { ConsensusStatement, ConsensusStatements, GroupDefinition } from "./types.ts";

const PICK = 5;

/**
 * Over all participants: a statement is consensus-agree when pa = (1+agrees)/(2+votes) > ½ and its
 * one-proportion z test is significant at 90%; the top 5 by pa·z are kept; likewise for disagree.
 * Moderated-out statements are left out.
 */
export function consensusStatements(matrix: VoteMatrix): ConsensusStatements {
  const all = Array.from({ length: matrix.participantIds.length }, (_, i) => i);
  const counts = countVotes(matrix, all);
  const pick = (successes: Float64Array): ConsensusStatement[] => {
    const candidates: (ConsensusStatement & { metric: number })[] = [];
    matrix.statementIds.forEach((statement, j) => {
      if (matrix.moderatedOut[j]) return;
      const nTrials = counts.seen[j]!;
      const nSuccess = successes[j]!;
      const pSuccess = (1 + nSuccess) / (2 + nTrials);
      const pTest = proportionTest(nSuccess, nTrials);
      if (pSuccess > 0.5 && significant90(pTest)) candidates.push({ statement, nSuccess, nTrials, pSuccess, pTest, metric: pSuccess * pTest });
    });
    return candidates
      .sort((a, b) => b.metric - a.metric)
      .slice(0, PICK)
      .map(({ metric: _metric, ...rest }) => rest);
  };
  return { agree: pick(counts.agree), disagree: pick(counts.disagree) };
}

/**
 * Group-informed consensus of each statement: ∏ over groups of (1 + agrees_g) / (2 + votes_g), votes
 * counting passes, over every statement with votes (moderated ones included, as Polis reports them).
 */
export function groupInformedConsensus(matrix: VoteMatrix, groups: readonly GroupDefinition[]): Float64Array {
  const n = matrix.statementIds.length;
  const product = new Float64Array(n).fill(1);
  for (const group of groups) {
    const counts = countVotes(matrix, group.members);
    for (let j = 0; j < n; j++) product[j]! *= (counts.agree[j]! + 1) / (counts.seen[j]! + 2);
  }
  return product;
}
