/**
 * Statement routing (`statements/next`): Polis's comment priority from src/analytics/opinion/priority.ts.
 * When the opinion map can be computed, a statement's priority is the map's (votes of clustered
 * participants, extremity E from the PCA); otherwise, and for a statement nobody has voted on yet, it is
 * the same formula over the stored vote counts with E = 0:
 *     priority = ((1 − (P+1)/(S+2)) · (E+1) · (A+1)/(S+2) · (1 + 8·2^(−S/5)))²,  a meta statement 49.
 * The participant is then shown up to `count` statements they have not voted on, drawn without
 * replacement with probability proportional to priority (as Polis does). The priorities themselves are never
 * returned: an exact priority is a function of a statement's hidden tallies (below k) and could be inverted.
 */
import { randomInt } from "node:crypto";
import { commentPriority, nextStatements } from "../../analytics/opinion/priority.ts";
import { seededRandom } from "../../analytics/opinion/prng.ts";
import { inTransaction } from "../../platform/db/pool.ts";
import { moderationMode, shownStates, voteHistory } from "./statement-queries.ts";
import { type Services } from "../../platform/context.ts";
import { requireEvaluation, type Actor } from "../../platform/guards.ts";
import { requireContributor } from "../../platform/guards.ts";
import { computedOpinion } from "./opinion-service.ts";
import { presentStatement, statementInView } from "./statement-service.ts";

export const ROUTING_RULE = {
  name: "polis-comment-priority",
  formula: "((1 - (P+1)/(S+2)) * (E+1) * (A+1)/(S+2) * (1 + 8 * 2^(-S/5)))^2; meta statements 49; E = 0 without an opinion map",
  draw: "weighted without replacement, probability proportional to priority",
} as const;

export async function nextStatementsFor(s: Services, actor: Actor, idOrSlug: string, count: number) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  const { participant } = await requireContributor(s.pool, evaluation, actor);
  // Read (and updated when due, on a pooled connection of its own) before the transaction takes one: a request
  // holding a connection while it waits for another stops the whole pool once every connection is held so.
  const opinion = await computedOpinion(s, evaluation);
  return inTransaction(s.pool, async (db) => {
    const shown = shownStates(await moderationMode(db, evaluation.id));
    const { statements } = opinion.stored;
    const mapped = opinion.result.map;
    const tallies = new Map(opinion.tallies.map((t) => [t.statement_id, t]));
    const candidates = statements
      .filter((st) => shown.includes(st.moderation) && statementInView(st))
      .map((st) => {
        const t = tallies.get(st.id);
        const seen = t ? t.agree + t.disagree + t.pass : 0;
        const fallback = commentPriority(st.is_meta, t?.agree ?? 0, t?.pass ?? 0, seen, 0);
        return { statement: st.id, priority: mapped?.priorities[st.id] ?? fallback };
      });
    const voted = new Set((await voteHistory(db, participant.id)).map((v) => v.statement_id));
    const chosen = nextStatements(candidates, voted, count, seededRandom(randomInt(0, 2 ** 31)));
    const byId = new Map(statements.map((st) => [st.id, st]));
    return {
      rule: { ...ROUTING_RULE, fromOpinionMap: mapped !== null, priorities: "withheld: a statement's priority is computed from its vote tallies" },
      remaining: candidates.filter((c) => !voted.has(c.statement)).length,
      statements: chosen.flatMap((id) => {
        const st = byId.get(id);
        return st ? [presentStatement(st, null, null, participant.id)] : [];
      }),
    };
  });
}
