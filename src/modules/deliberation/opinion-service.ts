/**
 * The opinion map from stored votes: the current statement votes of participants whose consent now
 * includes `aggregate`, through the pure Polis-method kernel (src/analytics/opinion). What is published
 * is k-suppressed: no map at all below k voters; a group smaller than k (or hidden so that it cannot be
 * recovered by subtraction, see domain/k-anonymity) shows only that it exists. Participant ids never
 * leave; the caller alone learns where they stand ("you are here").
 */
import { createHash } from "node:crypto";
import { memoCache } from "../../platform/memo-cache.ts";
import { settleDue, updateDue, updateOpinionMap } from "../../analytics/opinion/update.ts";
import { advanceStoredOpinion, opinionMapHistory, readStoredOpinion, storedOpinionVersion, type StoredOpinionMap } from "./opinion-state-queries.ts";
import { computeOpinionMap } from "../../analytics/opinion/map.ts";
import { OpinionInputError } from "../../analytics/opinion/matrix.ts";
import type { OpinionConversation, OpinionMap } from "../../analytics/opinion/types.ts";
import { publishableReleases, suppressSmallGroups, type SuppressionReason } from "../../core/k-anonymity.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import { aggregatableVotes, listStatements, moderationMode, shownStates, statementTallies, type StatementRow, type StatementTally } from "./statement-queries.ts";
import { dataVersion } from "../../platform/db/data-version.ts";
import type { EvaluationRow } from "../../platform/records.ts";
import { everInConversation } from "../../analytics/opinion/in-conversation.ts";
import { statementInView } from "./statement-service.ts";
import { findParticipantByUser } from "../../platform/records.ts";
import { nowOf, type Services } from "../../platform/context.ts";
import { requireEvaluation, type Actor } from "../../platform/guards.ts";
import { requireCharter, requireReader } from "../../platform/guards.ts";

/** The seed of the map's k-means; fixed so that the same votes always give the same published map. */
export const OPINION_SEED = 20240601;

export interface StoredConversation {
  conversation: OpinionConversation;
  statements: StatementRow[];
}

/** Statements not shown under the moderation mode (rejected; unmoderated when strict) are moderated out. */
export async function loadConversation(db: Queryable, evaluation: EvaluationRow): Promise<StoredConversation> {
  const shown = shownStates(await moderationMode(db, evaluation.id));
  // a statement whose author's consent does not allow the view is left out of the map like a moderated one
  const statements = (await listStatements(db, evaluation.id)).filter(statementInView);
  const kept = new Set(statements.map((st) => st.id));
  const votes = (await aggregatableVotes(db, evaluation.id)).filter((v) => kept.has(v.statement_id));
  const participants = [...new Set(votes.map((v) => v.participant_id))];
  return {
    statements,
    conversation: {
      statements: statements.map((st) => ({ id: st.id, moderatedOut: !shown.includes(st.moderation) || st.is_meta, isMeta: st.is_meta })),
      participants,
      votes: votes.map((v) => ({ participant: v.participant_id, statement: v.statement_id, vote: v.vote })),
      inConversation: everInConversation(
        statements.map((st) => st.created_at.getTime()),
        votes.map((v) => ({ participant: v.participant_id, statement: v.statement_id, at: v.created_at.getTime() })),
      ),
    },
  };
}

/** The map, or why there is none (too few voters for the kernel). */
export function tryOpinionMap(conversation: OpinionConversation, seed = OPINION_SEED): { map: OpinionMap } | { map: null; reason: string } {
  try {
    return { map: computeOpinionMap(conversation, { seed }) };
  } catch (error) {
    if (error instanceof OpinionInputError) return { map: null, reason: error.message };
    throw error;
  }
}

/** Which stored update a map is (null when none is stored, e.g. too few voters). */
export interface MapUpdate {
  readonly version: number;
  readonly computedAt: Date;
  /** the votes it was computed from, and the votes counted now (the difference arrived since) */
  readonly votes: number;
  readonly votesNow: number;
}

export interface ComputedOpinion {
  stored: StoredConversation;
  result: { map: OpinionMap } | { map: null; reason: string };
  tallies: StatementTally[];
  update: MapUpdate | null;
}

const OPINION_CACHE_SIZE = 16;
const cachedOpinion = memoCache<ComputedOpinion>(OPINION_CACHE_SIZE);
/** How many times the opinion map was computed (an update) rather than read (for tests and benches). */
export const opinionComputations = { count: 0 };

/** statements kept out of the map (moderated out, meta): a change here updates the map at once */
function inputsDigest(conversation: OpinionConversation): string {
  const out = conversation.statements.filter((st) => st.moderatedOut).map((st) => st.id).sort();
  return createHash("sha256").update(JSON.stringify(out)).digest("hex");
}

function served(stored: StoredConversation, tallies: StatementTally[], map: StoredOpinionMap): ComputedOpinion {
  const update = { version: map.version, computedAt: map.computedAt, votes: map.votes, votesNow: stored.conversation.votes.length };
  return { stored, tallies, result: { map: map.map }, update };
}

/**
 * The stored map, updated first when an update is due (analytics/opinion/update.ts `updateDue`; a full
 * recompute instead once the conversation has been quiet for a day, `settleDue`): the update
 * starts from the stored state and is written only if the stored version is still the one it read; when
 * another instance wrote first, its map is served instead (nothing is written twice, no update is lost:
 * the votes stay in the database and count at the next update).
 */
export async function storedOrUpdatedOpinion(s: Services, evaluation: EvaluationRow, db: Queryable = s.pool): Promise<ComputedOpinion> {
  const stored = await loadConversation(db, evaluation);
  const tallies = await statementTallies(db, evaluation.id);
  const current = await readStoredOpinion(db, evaluation.id);
  const { conversation } = stored;
  const present = new Set(conversation.participants);
  const at = nowOf(s);
  const facts = {
    votes: conversation.votes.length,
    inputsDigest: inputsDigest(conversation),
    participantsGone: current ? Object.keys(current.map.projections).some((p) => !present.has(p)) : false,
    at,
  };
  const recompute = current !== null && !updateDue(current, facts) && settleDue({ ...current, recomputed: current.state.recomputed === true }, facts);
  if (current && !updateDue(current, facts) && !recompute) return served(stored, tallies, current);
  let next: ReturnType<typeof updateOpinionMap>;
  try {
    next = updateOpinionMap(conversation, current?.state ?? null, { seed: OPINION_SEED, recompute });
  } catch (error) {
    if (error instanceof OpinionInputError) return { stored, tallies, result: { map: null, reason: error.message }, update: null };
    throw error;
  }
  opinionComputations.count += 1;
  const written: StoredOpinionMap = { version: (current?.version ?? 0) + 1, computedAt: at, votes: facts.votes, inputsDigest: facts.inputsDigest, state: next.state, map: next.map };
  if (await advanceStoredOpinion(s.pool, evaluation.id, current?.version ?? 0, written)) return served(stored, tallies, written);
  const winner = await readStoredOpinion(s.pool, evaluation.id);
  if (!winner) throw new Error("the stored opinion map vanished while it was being updated");
  return served(stored, tallies, winner);
}

/**
 * The stored conversation, its map and vote tallies, read once per change of what they depend on: the
 * evaluation's opinion version (statement votes, statements, consents, moderation settings), which
 * triggers keep in the database (migration 0010), and the stored map's version (another instance may
 * have updated it). Both are read first, so a cached entry is never older than its key, whichever
 * process computed it. Shared by GET /opinion, the card and statement routing.
 */
export async function computedOpinion(s: Services, evaluation: EvaluationRow, db: Queryable = s.pool): Promise<ComputedOpinion> {
  const key = `${evaluation.id}|${await dataVersion(db, evaluation.id, "opinion")}|${await storedOpinionVersion(db, evaluation.id)}`;
  return cachedOpinion(key, () => storedOrUpdatedOpinion(s, evaluation, db));
}

/**
 * The history of the map's updates as published: group sizes below k hidden in every update, and an
 * update's sizes withheld altogether (`sizesWithheld`) when some group changed by fewer than k people
 * against any earlier update whose sizes were published (core/k-anonymity.ts `publishableReleases`), so no
 * two published updates can be subtracted to learn which group a newcomer joined.
 */
export async function publishedHistory(db: Queryable, evaluationId: string, k: number) {
  const updates = await opinionMapHistory(db, evaluationId);
  const open = publishableReleases(updates.map((u) => sizesOf(u.groupSizes)), k);
  return updates.map((u, i) => {
    const suppression = suppressSmallGroups(sizesOf(u.groupSizes), k);
    const hidden = new Set(suppression.suppressed.map((h) => h.key));
    const shown = open[i] === true;
    return {
      version: u.version,
      computedAt: u.computedAt,
      votes: u.votes,
      groupCount: u.k,
      sizesWithheld: !shown,
      groups: u.groupSizes.map((g) => ({ id: g.id, participants: shown && !hidden.has(String(g.id)) ? g.participants : null })),
    };
  });
}

function sizesOf(groups: readonly { id: number; participants: number }[]) {
  return groups.map((g) => ({ key: String(g.id), count: g.participants }));
}

function publishedUpdate(update: MapUpdate) {
  return { version: update.version, computedAt: update.computedAt, votes: update.votes, votesSince: update.votesNow - update.votes };
}

export async function opinionMapFor(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation } = await requireReader(s.pool, idOrSlug, actor);
  const computed = await computedOpinion(s, evaluation);
  const view = await publishedView(s, evaluation, computed);
  if (!view.available) return view;
  const me = actor.userId ? await findParticipantByUser(s.pool, evaluation.id, actor.userId) : undefined;
  return { ...view, you: computed.result.map ? youAreHere(computed.result.map, me?.id ?? null) : null };
}

/** The stored map as everyone may see it: nothing below k participants, group sizes gated, the update it is. */
async function publishedView(s: Services, evaluation: EvaluationRow, computed: Awaited<ReturnType<typeof computedOpinion>>) {
  const k = (await requireCharter(s.pool, evaluation.id)).content.kAnonymity;
  const { stored, result, update } = computed;
  const { conversation, statements } = stored;
  if (conversation.participants.length < k) {
    return { available: false as const, reason: `fewer than k = ${k} participants have voted (with consent to aggregate)`, kAnonymity: k };
  }
  if (!result.map || !update) return { available: false as const, reason: result.map ? "no stored map" : result.reason, kAnonymity: k };
  const history = await publishedHistory(s.pool, evaluation.id, k);
  // the current map is the latest update: its groups are withheld exactly when its sizes are in the history
  // an update missing from the history cannot be checked against the releases before it: withheld
  const withheld = history.find((h) => h.version === update.version)?.sizesWithheld ?? true;
  return {
    available: true as const,
    kAnonymity: k,
    update: publishedUpdate(update),
    history,
    ...publish(result.map, k, new Map(statements.map((st) => [st.id, st.text])), withheld),
  };
}

function statementRef(id: string, text: ReadonlyMap<string, string>) {
  return { statementId: id, text: text.get(id) ?? "" };
}

/** `withheld`: the map's group sizes may not be published (publishableReleases), so no group is shown */
function publish(map: OpinionMap, k: number, text: ReadonlyMap<string, string>, withheld: boolean) {
  const sized = map.groups.map((g) => ({ key: String(g.id), count: g.participants.length, group: g }));
  const suppression = suppressSmallGroups(sized, k);
  const hidden = new Map<string, SuppressionReason | "differencing">(sized.map((g) => [g.key, "differencing"]));
  if (!withheld) {
    hidden.clear();
    for (const h of suppression.suppressed) hidden.set(h.key, h.reason);
  }
  return {
    rule: map.rule,
    counts: { participants: map.counts.participants, statements: map.counts.statements, votes: map.counts.votes, clustered: suppression.total },
    excludedParticipants: map.excluded.length >= k ? map.excluded.length : null,
    groups: sized.map(({ key, count, group }) => {
      const reason = hidden.get(key);
      if (reason) return { id: group.id, suppressed: true as const, reason };
      return {
        id: group.id,
        suppressed: false as const,
        participants: count,
        center: group.center,
        representative: (map.repness[key] ?? []).map((r) => ({
          ...statementRef(r.statement, text),
          repfulFor: r.repfulFor,
          share: r.pSuccess,
          successes: r.nSuccess,
          trials: r.nTrials,
          repness: r.repness,
        })),
      };
    }),
    consensus: {
      agree: map.consensus.agree.map((c) => ({ ...statementRef(c.statement, text), share: c.pSuccess })),
      disagree: map.consensus.disagree.map((c) => ({ ...statementRef(c.statement, text), share: c.pSuccess })),
    },
    // in the statements' order (a stored map's keys come back in jsonb's order)
    groupInformedConsensus: map.pca.statementIds.flatMap((id) => {
      const value = map.groupInformedConsensus[id];
      return value === undefined ? [] : [{ ...statementRef(id, text), value }];
    }),
  };
}

/** The caller's own position and group (told only to them, whatever the group's size). */
function youAreHere(map: OpinionMap, participantId: string | null) {
  if (!participantId) return null;
  const position = map.projections[participantId];
  if (!position) return { inMap: false as const, reason: "you have no votes counted in the map (no votes yet, or no consent to aggregate)" };
  const group = map.groups.find((g) => g.participants.includes(participantId));
  return { inMap: true as const, position, groupId: group?.id ?? null };
}

/**
 * For the operator's `opinion <evaluation>`: the same published (k-suppressed) map the API gives, with the
 * charter's k. Who is in which group never leaves, not even by pseudonym: only group sizes, hidden below k.
 */
export async function operatorOpinion(s: Services, idOrSlug: string) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  return publishedView(s, evaluation, await computedOpinion(s, evaluation));
}
