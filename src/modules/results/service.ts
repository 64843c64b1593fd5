import { predictedWinProbabilities } from "../../analytics/results/bt.ts";
import { memoCache } from "../../platform/memo-cache.ts";
import { krippendorffAlpha } from "../../analytics/results/krippendorff.ts";
import { winRateMatrix } from "../../analytics/results/win-rate.ts";
import { summariseRatings, type RatingSummary } from "../../analytics/results/ratings.ts";
import { runRulesOffThread } from "./rules-thread.ts";
import { groupDivergence, RULE_ASSUMPTIONS, ruleSensitivity } from "../../analytics/results/sensitivity.ts";
import { RULE_NAMES, ResultsError, type BtIntervalMethod, type RankingBallot, type ResultsInput, type RuleResult } from "../../analytics/results/types.ts";
import { DEFAULT_HEADLINE_BOARD, type Board } from "../../core/charter.ts";
import { AppError } from "../../core/errors.ts";
import { contributorMarker, gateByContributors, type SuppressionMarker } from "../../core/k-anonymity.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import { latestCharter, type EvaluationRow } from "../../platform/records.ts";
import * as q from "./queries.ts";
import * as t from "./snapshot-tallies.ts";
import type { PairCounter } from "./pair-counter.ts";
import { snapshotAt, type JudgmentSnapshot } from "./judgment-snapshot.ts";
import { dissentShares, gatedExclusions } from "./dissent-shares.ts";
import { summaryOf } from "./summary.ts";
import { styleControlView } from "./style-view.ts";
import { listSubjects } from "../evaluations/subject-queries.ts";
import { beyondArena, beyondFor } from "./beyond-service.ts";
import { getEvaluation } from "../evaluations/service.ts";
import type { Services } from "../../platform/context.ts";
import type { Actor } from "../../platform/guards.ts";
import type { Role } from "../../core/evaluation.ts";

export interface ResultsOptions {
  rules?: readonly string[];
  /** Bradley–Terry intervals: bootstrap (default) or closed-form sandwich */
  intervals?: BtIntervalMethod;
  /** report Bradley–Terry and Elo so that this subject has this rating (default: mean 1000) */
  anchor?: { name: string; value: number };
  by?: "community";
  seed?: number;
  rounds?: number;
  /** also fit Bradley–Terry with style covariates from the stored responses (style-view.ts) */
  styleControl?: boolean;
}

type Names = ReadonlyMap<string, string>;

/** The rules' input from the snapshot's counts, plus the ordered sequence Elo needs, on `board`. */
function resultsInput(names: Names, withSequence: boolean, board: Board, snapshot: JudgmentSnapshot): ResultsInput {
  const counter = t.pairCounter(snapshot, board);
  const rankingRows = snapshot.rankings[board];
  // Only subjects that were judged take part: an unjudged subject has no result, not a default one.
  const judged = new Set([...subjectsCounted(snapshot, [counter]), ...rankingRows.flatMap((r) => r.groups.flat())]);
  const subjects = [...new Set([...judged].map((id) => names.get(id) ?? id))].sort();
  const index = new Map(subjects.map((name, i) => [name, i]));
  const idx = (id: string) => index.get(names.get(id) ?? id) ?? -1;
  const pairs = counter.collapsed(positions(snapshot, idx));
  const rankings: RankingBallot[] = rankingRows.map((r) => ({
    participant: r.participant_id,
    groups: r.groups.map((group) => group.map(idx)),
  }));
  const idByName = new Map([...names].map(([id, name]) => [name, id]));
  const sequence = withSequence ? { sequence: t.pairSequence(snapshot, board, subjects.map((name) => idByName.get(name) ?? name)) } : {};
  return { subjects, pairs, ...sequence, ...(rankings.length ? { rankings } : {}) };
}

/** The ids of the snapshot subjects some counter counts. */
function subjectsCounted(snapshot: JudgmentSnapshot, counters: Iterable<PairCounter>): string[] {
  const seen = new Uint8Array(snapshot.subjectIds.length);
  for (const counter of counters) counter.markSubjects(seen);
  return snapshot.subjectIds.filter((_, i) => seen[i] === 1);
}

/** Each snapshot subject's number among the subjects the rules see (−1: not among them). */
function positions(snapshot: JudgmentSnapshot, idx: (id: string) => number): Int32Array {
  return Int32Array.from(snapshot.subjectIds, (id) => idx(id));
}

async function subjectNames(db: Queryable, evaluationId: string): Promise<Map<string, string>> {
  return new Map((await listSubjects(db, evaluationId)).map((s) => [s.id, s.name]));
}

async function safeRules(input: ResultsInput, options: ResultsOptions, rules: readonly string[]): Promise<{ results: RuleResult[]; error: string | null }> {
  try {
    const anchor = options.anchor ? { anchor: options.anchor } : {};
    const intervals = options.intervals ? { intervals: options.intervals } : {};
    return { results: await runRulesOffThread(input, { rules, rounds: options.rounds ?? 1000, seed: options.seed ?? 0, ...anchor, ...intervals }), error: null };
  } catch (error) {
    if (error instanceof ResultsError && (error.code === "no_judgments" || error.code === "single_subject")) return { results: [], error: error.message };
    if (error instanceof ResultsError) throw new AppError("validation_failed", error.message, error.code === "unknown_anchor" ? "anchor" : "rule");
    throw error;
  }
}

/** Results need something to aggregate: no counted judgment at all, or a single judged subject, is an error. */
function assertComputable(input: ResultsInput, ratings: readonly RatingSummary[]): void {
  const judged = input.subjects.length;
  const ratedSubjects = new Set(ratings.map((r) => r.subject)).size;
  if (judged === 0 && ratedSubjects === 0) {
    throw new AppError("no_judgments", "there are no counted judgments yet (or none whose contributors consent to `aggregate`)", "evaluation");
  }
  if (judged < 2 && ratedSubjects < 2) throw new AppError("single_subject", "only one subject has been judged; results compare at least two", "evaluation");
}

/** A promise that may be awaited later: its rejection is not "unhandled" while other work runs first. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

type Results = Awaited<ReturnType<typeof computeFresh>>;
const CACHE_SIZE = 32;
/** Recent results by evaluation, options and data fingerprint: a busy public page must not refit each time. */
const cached = memoCache<Results>(CACHE_SIZE);
/** How many times results were computed rather than served from the cache (for tests and benches). */
export const resultsComputations = { count: 0 };

/**
 * Results, served from the cache while the evaluation's data version (kept by triggers in the database,
 * see resultsFingerprint) is unchanged. The version is read before computing, so an entry is never older
 * than its key: several processes sharing one database each cache, and none serves data older than it read.
 */
export async function computeResults(s: Services, actor: Actor, idOrSlug: string, options: ResultsOptions = {}) {
  const { evaluation, role } = await getEvaluation(s, actor, idOrSlug);
  const shown = [evaluation.slug, evaluation.title, evaluation.status];
  const version = await q.resultsFingerprint(s.pool, evaluation.id);
  const key = JSON.stringify([evaluation.id, shown, options.rules ?? null, options.by ?? null, options.seed ?? 0, options.rounds ?? null, options.anchor ?? null, options.intervals ?? null, options.styleControl ?? false, version]);
  const results = await cached(key, async () => {
    const fresh = await computeFresh(s, evaluation, options, version);
    resultsComputations.count += 1;
    return fresh;
  });
  return readerView(results, role);
}

/** The cache holds what organisers may see; each reader gets their view of the anomalies (made once per entry and role). */
const views = new WeakMap<Results, Map<boolean, ReturnType<typeof viewOf>>>();
function viewOf(results: Results, role: Role | null) {
  return { ...results, beyondArena: results.beyondArena && beyondFor(results.beyondArena, role, results.kAnonymity) };
}
function readerView(results: Results, role: Role | null) {
  const byRole = views.get(results) ?? new Map<boolean, ReturnType<typeof viewOf>>();
  views.set(results, byRole);
  const organiser = role === "organiser";
  const view = byRole.get(organiser) ?? viewOf(results, role);
  byRole.set(organiser, view);
  return view;
}

/** Distinct people who fed a rule: rankings for Borda and ranked pairs when there are rankings, else pairwise judgments. */
function feeding(rule: string, input: ResultsInput, people: ReadonlyMap<string, number>): number {
  const onRankings = (rule === "borda" || rule === "ranked-pairs") && (input.rankings?.length ?? 0) > 0;
  return people.get(onRankings ? "ranking" : "pairwise") ?? 0;
}

/**
 * Below k, nothing individual: every figure below is published only when at least k DISTINCT contributors fed
 * it (`gateByContributors` / `contributorMarker` / `gateCells` in core); in its place the response says what is
 * hidden and why, never with a count. Organisers see the same (the charter grants them nothing more).
 */
async function computeFresh(s: Services, evaluation: EvaluationRow, options: ResultsOptions, version: string) {
  const rules = options.rules?.length ? options.rules : RULE_NAMES;
  for (const rule of rules) {
    if (!(RULE_NAMES as readonly string[]).includes(rule)) throw new AppError("validation_failed", `unknown rule ${rule}; expected ${RULE_NAMES.join(", ")}`, "rule");
  }
  const [charter, names, snapshot] = await Promise.all([latestCharter(s.pool, evaluation.id), subjectNames(s.pool, evaluation.id), snapshotAt(s.pool, evaluation.id, version)]);
  const tallies = t.judgmentTallies(snapshot);
  const people = q.contributorsByKind(tallies);
  const k = charter?.content.kAnonymity ?? 10;
  const headline = charter?.content.headlineBoard ?? DEFAULT_HEADLINE_BOARD;
  const input = resultsInput(names, rules.includes("elo"), headline, snapshot);
  // The kernels run on the worker thread while the other aggregates are read, each on its own pooled
  // connection: on two cores PostgreSQL's work and the kernels' overlap instead of adding up.
  const ruleRun = settledLater(safeRules(input, options, rules));
  const isShown = (r: RuleResult) => !contributorMarker(feeding(r.rule, input, people), k);
  const pairwiseMarker = contributorMarker(people.get("pairwise") ?? 0, k);
  // the beyond-Arena analyses read their inputs now, and wait for the published Bradley–Terry board only to run
  const beyondRun =
    pairwiseMarker || input.pairs.length === 0
      ? null
      : settledLater(beyondArena(s.pool, evaluation.id, snapshot, input, names, settledLater(ruleRun.then((r) => r.results.filter(isShown).find((x) => x.rule === "bt") ?? null)), { k, rounds: options.rounds ?? 1000, seed: options.seed ?? 0, board: headline }));
  const communityRun = options.by === "community" ? settledLater(communityViews(s.pool, evaluation.id, names, tallies, snapshot, settledLater(ruleRun.then((r) => r.results.filter(isShown))), options, k)) : null;
  const [ratings, agreementView, dissent] = await Promise.all([
    ratingSummaries(snapshot, names, options, k),
    agreement(people, k, snapshot, names),
    nextTurn().then(() => dissentShares(snapshot, names, tallies, k)),
  ]);
  assertComputable(input, ratings.all);
  const { results, error } = await ruleRun;
  const shown = results.filter(isShown);
  const hiddenRules = results.flatMap((r) => {
    const marker = contributorMarker(feeding(r.rule, input, people), k);
    return marker ? [{ rule: r.rule, suppressed: marker }] : [];
  });
  const body = {
    evaluation: { id: evaluation.id, slug: evaluation.slug, title: evaluation.title, status: evaluation.status },
    consent: "only contributions whose contributor's current consent includes `aggregate` are counted",
    kAnonymity: k,
    board: headline,
    warnings: error ? [error] : [],
    rules: shown,
    suppressedRules: hiddenRules,
    sensitivity: shown.length > 1 ? ruleSensitivity(shown).map(capFlips) : [],
    matrices: pairwiseMarker ? { subjects: input.subjects, observedWinRate: null, predictedByBradleyTerry: null, suppressed: pairwiseMarker } : pairMatrices(input, shown),
    ratings: ratings.shown,
    ratingsSuppressed: ratings.hidden,
    ratingAssumption: RULE_ASSUMPTIONS["mean-rating"],
    agreement: agreementView,
    dissent,
    excluded: gatedExclusions(q.exclusionCounts(tallies), k),
    groups: communityRun ? await communityRun : null,
    boards: await boardsView(names, headline, shown, q.revisionCounts(tallies), options, k, snapshot),
    beyondArena: beyondRun ? await beyondRun : null,
    styleControl: options.styleControl ? await styleControlView(s.pool, evaluation.id, names, headline, people.get("pairwise") ?? 0, k, styleOptions(options)) : null,
  };
  return { ...body, summary: summaryOf(body, input, people) };
}

/**
 * The board the charter does not make the headline, beside it (Bradley–Terry, same intervals), and the change
 * between them. The difference between the two boards is made of the revisions alone, so it is shown only when
 * at least k distinct people revised: below that it would publish a few people's changed votes.
 */
async function boardsView(names: Names, headline: Board, shown: readonly RuleResult[], revisions: { judgments: number; people: number }, options: ResultsOptions, k: number, snapshot: JudgmentSnapshot) {
  const marker = contributorMarker(revisions.people, k);
  const counts: { judgments: number | null; people: number | null; suppressed?: SuppressionMarker } = marker ? { judgments: null, people: null, suppressed: marker } : revisions;
  const none = { headline, revisions: counts, identical: revisions.judgments === 0, other: null, change: null };
  const bt = shown.find((r) => r.rule === "bt");
  if (revisions.judgments === 0 || marker || !bt) return none;
  const board: Board = headline === "blind" ? "revised" : "blind";
  const { results } = await safeRules(resultsInput(names, false, board, snapshot), options, ["bt"]);
  const other = results.find((r) => r.rule === "bt");
  if (!other) return none;
  const [change] = groupDivergence(bt, [{ group: board, result: other }]).map(capFlips);
  const rankOf = new Map(other.subjects.map((subject) => [subject.name, subject.rank]));
  const moved = bt.subjects.flatMap((subject) => {
    const otherRank = rankOf.get(subject.name);
    return otherRank !== undefined && otherRank !== subject.rank ? [{ name: subject.name, headlineRank: subject.rank, otherRank }] : [];
  });
  return { ...none, other: { board, rule: other }, change: change ? { tau: change.tau, shared: change.shared, flipped: change.flipped, flippedCount: change.flippedCount, moved } : null };
}

function styleOptions(options: ResultsOptions) {
  return { rounds: options.rounds ?? 1000, seed: options.seed ?? 0, ...(options.anchor ? { anchor: options.anchor } : {}), ...(options.intervals ? { intervals: options.intervals } : {}) };
}


const MAX_FLIPS_SHOWN = 25;

/** Every flip is counted; the first few are listed (all of them would be O(subjects²) per pair of rules). */
function capFlips<T extends { flipped: readonly unknown[] }>(comparison: T): T & { flippedCount: number } {
  return { ...comparison, flipped: comparison.flipped.slice(0, MAX_FLIPS_SHOWN), flippedCount: comparison.flipped.length };
}

/** Observed win rates of row against column, and the win probabilities Bradley–Terry predicts (same order). */
function pairMatrices(input: ResultsInput, results: readonly RuleResult[]) {
  const bt = results.find((r) => r.rule === "bt");
  const rating = new Map(bt?.subjects.map((s) => [s.name, s.score]) ?? []);
  const comparable = input.subjects.every((name) => rating.has(name));
  return {
    subjects: input.subjects,
    observedWinRate: winRateMatrix(input.subjects.length, input.pairs),
    predictedByBradleyTerry: bt && comparable ? predictedWinProbabilities(input.subjects.map((name) => rating.get(name) ?? 0)) : null,
  };
}

/** Rating summaries per (subject, dimension), each shown only when at least k distinct people rated it. */
function ratingSummaries(snapshot: JudgmentSnapshot, names: Names, options: ResultsOptions, k: number) {
  const rows = snapshot.ratings;
  const none = { all: [] as RatingSummary[], shown: [] as RatingSummary[], hidden: [] as { subject: string; dimension: string; suppressed: SuppressionMarker }[] };
  if (rows.length === 0) return none;
  const named = rows.map((r) => ({ subject: names.get(r.subject_id) ?? r.subject_id, dimension: r.dimension, score: r.score, participant: r.participant_id }));
  const raters = new Map<string, Set<string>>();
  for (const r of named) {
    const key = JSON.stringify([r.subject, r.dimension]);
    raters.set(key, (raters.get(key) ?? new Set()).add(r.participant));
  }
  const gate = gateByContributors([...raters].map(([key, set]) => ({ key, count: set.size })), k, { partition: false });
  const all = summariseRatings(named.map(({ subject, dimension, score }) => ({ subject, dimension, score })), { rounds: Math.min(options.rounds ?? 1000, 1000), seed: options.seed ?? 0 });
  const keyOf = (r: { subject: string; dimension: string }) => JSON.stringify([r.subject, r.dimension]);
  return {
    all,
    shown: all.filter((r) => gate.shown.has(keyOf(r))),
    hidden: all.flatMap((r) => {
      const marker = gate.hidden.get(keyOf(r));
      return marker ? [{ subject: r.subject, dimension: r.dimension, suppressed: marker }] : [];
    }),
  };
}

/** Each snapshot subject's place among all subjects' names in byte order (how agreement units are oriented). */
function nameRanks(snapshot: JudgmentSnapshot, names: Names): Int32Array {
  const byName = snapshot.subjectIds.map((id, i) => ({ i, name: Buffer.from(names.get(id) ?? id) })).sort((x, y) => Buffer.compare(x.name, y.name));
  const rank = new Int32Array(snapshot.subjectIds.length);
  byName.forEach(({ i }, position) => (rank[i] = position));
  return rank;
}

/**
 * A turn of the event loop: the server thread's own aggregates (each tens of milliseconds at a million judgments)
 * let a worker's reply through between them, so that what waits on it (the beyond-Arena analyses wait on
 * Bradley–Terry) is sent on at once rather than after all of them.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Agreement is computed from individual answers, so it is published only past k contributors of its kind. */
async function agreement(people: ReadonlyMap<string, number>, k: number, snapshot: JudgmentSnapshot, names: Names) {
  const pairwiseMarker = contributorMarker(people.get("pairwise") ?? 0, k);
  const ratingMarker = contributorMarker(people.get("rating") ?? 0, k);
  await nextTurn();
  const units = pairwiseMarker ? [] : t.pairwiseUnits(snapshot, nameRanks(snapshot, names));
  const ratingUnits = ratingMarker ? [] : snapshot.ratingUnits;
  const dimensions = [...new Set(ratingUnits.map((u) => u.dimension))].sort();
  await nextTurn();
  const alpha = units.length ? krippendorffAlpha(units, "nominal") : null;
  return {
    measure: "Krippendorff's alpha (nominal) over pairwise outcomes of the same item and pair by different participants",
    units: units.length,
    alpha,
    ...(pairwiseMarker ? { suppressed: pairwiseMarker } : {}),
    ...(ratingMarker ? { ratingsSuppressed: ratingMarker } : {}),
    ratings: dimensions.map((dimension) => {
      const scores = ratingUnits.filter((u) => u.dimension === dimension).map((u) => u.scores);
      return { dimension, units: scores.length, ordinal: krippendorffAlpha(scores, "ordinal"), interval: krippendorffAlpha(scores, "interval") };
    }),
  };
}

/**
 * Bradley–Terry intervals of each community's view: closed-form (sandwich standard errors), one fit a
 * community, whatever the headline board uses. A bootstrap of every community took longer than the rest of a
 * cold page together; the views are compared by their orders (`divergence`), and their parameters say which
 * intervals they carry.
 */
export const GROUP_INTERVALS: BtIntervalMethod = "sandwich";

/**
 * Community views go through the one suppression function (`gateByContributors`): contributors without a
 * community are one more group, and the groups are treated as a published partition, so that a hidden community
 * cannot be recovered by subtracting the visible ones from the total (complementary suppression).
 */
async function communityViews(db: Queryable, evaluationId: string, names: Names, tallies: readonly q.TallyRow[], snapshot: JudgmentSnapshot, overallRun: Promise<RuleResult[]>, options: ResultsOptions, k: number) {
  const sizes = t.communitySizes(snapshot, tallies);
  const counters = t.pairCountersByCommunity(snapshot);
  const NONE = "\u0000none";
  const gate = gateByContributors(sizes.map((c) => ({ key: c.community ?? NONE, count: c.participants })), k);
  const shown = sizes.flatMap((c) => (c.community !== null && gate.shown.has(c.community) ? [{ community: c.community, participants: c.participants }] : []));
  const subjects = [...new Set(subjectsCounted(snapshot, counters.values()).map((id) => names.get(id) ?? id))].sort();
  const index = new Map(subjects.map((name, i) => [name, i]));
  const position = positions(snapshot, (id) => index.get(names.get(id) ?? id) ?? -1);
  const rules = (options.rules?.length ? options.rules : RULE_NAMES).filter((r) => r !== "elo");
  const groups = await Promise.all(
    shown.map(async (community) => {
      const pairs = counters.get(community.community)?.collapsed(position) ?? [];
      const { results, error } = await safeRules({ subjects, pairs }, { ...options, intervals: GROUP_INTERVALS }, rules);
      return { community: community.community, participants: community.participants, rules: results, warnings: error ? [error] : [] };
    }),
  );
  const reference = (await overallRun).find((r) => r.rule === "bt");
  const divergence = reference
    ? groupDivergence(reference, groups.flatMap((g) => g.rules.filter((r) => r.rule === "bt").map((result) => ({ group: g.community, result })))).map(capFlips)
    : [];
  const hiddenCommunities = sizes.filter((c) => c.community !== null && gate.hidden.has(c.community)).length;
  return { k, suppressedGroups: hiddenCommunities, suppressed: hiddenCommunities > 0 ? { reason: "fewer_than_k_contributors" as const, k, complementary: true } : null, groups, divergence };
}
