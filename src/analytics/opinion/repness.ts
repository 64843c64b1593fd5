/**
 * Representative statements per group, Polis's `conv-repness` and `select-rep-comments`
 * (repness.clj). For group g and statement j: pa = (1+na)/(2+ns), ra = pa / ((1+na_rest)/(2+ns_rest)),
 * pat = one-proportion z, rat = two-proportion z against the other groups (likewise for disagree).
 * A statement is sufficient when (rat and pat) or (rdt and pdt) are significant at 90%; the top 5 by
 * repness·repness_test·p·p_test are kept, with the group's best agreed statement put first and agrees
 * listed before disagrees. A group with no sufficient statement gets its best one.
 */
import type { VoteMatrix } from "./matrix.ts";
import { countVotes, proportionTest, significant90, twoProportionTest, type VoteCounts } from "./stats.ts";
import type { GroupDefinition, RepresentativeStatement } from "./types.ts";

interface CommentStats {
  readonly na: number;
  readonly nd: number;
  readonly ns: number;
  readonly pa: number;
  readonly pd: number;
  readonly pat: number;
  readonly pdt: number;
  readonly ra: number;
  readonly rd: number;
  readonly rat: number;
  readonly rdt: number;
}

function commentStats(own: VoteCounts, rest: readonly VoteCounts[], j: number): CommentStats {
  const na = own.agree[j]!;
  const nd = own.disagree[j]!;
  const ns = own.seen[j]!;
  const restSum = (pick: (c: VoteCounts) => Float64Array) => rest.reduce((sum, c) => sum + pick(c)[j]!, 0);
  const naRest = restSum((c) => c.agree);
  const ndRest = restSum((c) => c.disagree);
  const nsRest = restSum((c) => c.seen);
  const pa = (1 + na) / (2 + ns);
  const pd = (1 + nd) / (2 + ns);
  return {
    na, nd, ns, pa, pd,
    pat: proportionTest(na, ns),
    pdt: proportionTest(nd, ns),
    ra: pa / ((1 + naRest) / (2 + nsRest)),
    rd: pd / ((1 + ndRest) / (2 + nsRest)),
    rat: twoProportionTest(na, naRest, ns, nsRest),
    rdt: twoProportionTest(nd, ndRest, ns, nsRest),
  };
}

function finalize(statement: string, s: CommentStats): RepresentativeStatement {
  const agree = s.rat > s.rdt;
  return {
    statement,
    repfulFor: agree ? "agree" : "disagree",
    nSuccess: agree ? s.na : s.nd,
    nTrials: s.ns,
    pSuccess: agree ? s.pa : s.pd,
    pTest: agree ? s.pat : s.pdt,
    repness: agree ? s.ra : s.rd,
    repnessTest: agree ? s.rat : s.rdt,
  };
}

function passesByTest(s: CommentStats): boolean {
  return (significant90(s.rat) && significant90(s.pat)) || (significant90(s.rdt) && significant90(s.pdt));
}

function beatsBestAgree(s: CommentStats, best: CommentStats | null): boolean {
  if (s.na === 0 && s.nd === 0) return false;
  if (best && best.ra > 1) return s.ra * s.rat * s.pa * s.pat > best.ra * best.rat * best.pa * best.pat;
  if (best) return s.pa * s.pat > best.pa * best.pat;
  return significant90(s.pat) || (s.ra > 1 && s.pa > 0.5);
}

const metric = (r: RepresentativeStatement) => r.repness * r.repnessTest * r.pSuccess * r.pTest;

function selectForGroup(matrix: VoteMatrix, own: VoteCounts, rest: readonly VoteCounts[]): RepresentativeStatement[] {
  const sufficient: RepresentativeStatement[] = [];
  let best: RepresentativeStatement | null = null;
  let bestAgree: { statement: string; stats: CommentStats } | null = null;
  for (let j = 0; j < matrix.statementIds.length; j++) {
    if (matrix.moderatedOut[j]) continue;
    const statement = matrix.statementIds[j]!;
    const s = commentStats(own, rest, j);
    if (passesByTest(s)) sufficient.push(finalize(statement, s));
    if (sufficient.length === 0 && (best === null || Math.max(s.rat, s.rdt) > best.repnessTest)) best = finalize(statement, s);
    if (beatsBestAgree(s, bestAgree?.stats ?? null)) bestAgree = { statement, stats: s };
  }
  const agreeHead: RepresentativeStatement | null = bestAgree
    ? { ...finalize(bestAgree.statement, bestAgree.stats), nAgree: bestAgree.stats.na, bestAgree: true }
    : null;
  if (sufficient.length === 0) {
    const head = agreeHead ?? best;
    return head ? [head] : [];
  }
  const chosen = sufficient
    .filter((r) => r.statement !== agreeHead?.statement)
    .sort((a, b) => metric(b) - metric(a));
  const top = [...(agreeHead ? [agreeHead] : []), ...chosen].slice(0, 5);
  return [...top.filter((r) => r.repfulFor === "agree"), ...top.filter((r) => r.repfulFor === "disagree")];
}

/** representative statements of each group, keyed by group id */
export function representativeStatements(matrix: VoteMatrix, groups: readonly GroupDefinition[]): Map<number, RepresentativeStatement[]> {
  const counts = groups.map((g) => countVotes(matrix, g.members));
  const out = new Map<number, RepresentativeStatement[]>();
  groups.forEach((group, g) => {
    out.set(group.id, selectForGroup(matrix, counts[g]!, counts.filter((_, h) => h !== g)));
  });
  return out;
}
