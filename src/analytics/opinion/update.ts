/**
 * Opinion maps that evolve as Polis's do (conversation.clj `small-conv-update-graph`): each update starts
 * from the state the previous one left instead of from scratch.
 *  - PCA: power iteration warm-started from the previous components (pca.ts);
 *  - in-conversation set: only grows (anyone once clustered stays clustered while their votes count);
 *  - base clusters: Polis's k-means from the previous base clusters (ids kept, polis-warm-start.ts);
 *  - groups: for every k in 2..max, Polis's k-means from the previous clustering with that k;
 *  - k: the k of the best silhouette must win on K_SMOOTHING_UPDATES consecutive updates before the
 *    published k changes (Polis's `group-k-smoother`);
 *  - labels: the new groups are matched to the previous ones by shared participants before they are
 *    named, so a group keeps its label while its people stay together.
 * Without a previous state, the update is the one-shot map (map.ts) exactly. Pure and deterministic.
 */
import { canonicalGroupOrder, maxGroupCount, POLIS_BASE_ITERATIONS, POLIS_GROUP_ITERATIONS, selectClusterable } from "./clustering.ts";
import { silhouette } from "./kmeans.ts";
import { assembleOpinionMap, assertClusterable, assertMappable, DEFAULT_OPINION_OPTIONS } from "./map.ts";
import { buildVoteMatrix, rowVoteCounts, type VoteMatrix } from "./matrix.ts";
import { sparsePca } from "./pca.ts";
import { polisKMeansFrom, type IdentifiedCluster, type WarmKMeansResult } from "./polis-warm-start.ts";
import { projectParticipants } from "./projection.ts";
import type { GroupDefinition, OpinionConversation, OpinionMap } from "./types.ts";

/**
 * Consecutive updates a new k must win the silhouette comparison before the map switches to it: 4, Polis's
 * `:group-k-buffer`. Silhouettes of neighbouring k are often within a few hundredths of each other, so the
 * winner flips with a handful of votes (vTaiwan recomputed from scratch every 5% of its votes: k changed 11
 * times in 20 maps); four wins in a row — four updates, each at least max(20, 5%) new votes apart (see
 * updateDue) — is Polis's own measure of "the structure really changed", and keeping it keeps our maps
 * comparable with Polis's (with it, the same replay changes k once).
 */
export const K_SMOOTHING_UPDATES = 4;

export interface StoredBaseCluster {
  readonly id: number;
  readonly members: readonly string[];
  readonly center: readonly [number, number];
}

export interface StoredGroupCluster {
  readonly id: number;
  /** base-cluster ids */
  readonly members: readonly number[];
  readonly center: readonly [number, number];
}

export interface KSmoother {
  /** the k of the best silhouette at the last update, and on how many consecutive updates it won */
  readonly lastK: number;
  readonly lastKCount: number;
  /** the k published */
  readonly smoothedK: number;
}

/** What an update leaves for the next one (stored as JSON per evaluation). */
export interface OpinionMapState {
  /** 1 for the first map, +1 per update */
  readonly update: number;
  readonly inConversation: readonly string[];
  readonly pca: { readonly statementIds: readonly string[]; readonly components: readonly [readonly number[], readonly number[]] };
  readonly baseClusters: readonly StoredBaseCluster[];
  /** for each k tried (as a string key), its clustering of the base clusters */
  readonly groupClusterings: Readonly<Record<string, readonly StoredGroupCluster[]>>;
  readonly kSmoother: KSmoother | null;
  /** this update was a full recompute (absent in states stored before there were recomputes: false) */
  readonly recomputed?: boolean;
  /** the published groups, by their stable label (the map's group id) */
  readonly groups: readonly { readonly label: number; readonly participants: readonly string[] }[];
}

export interface UpdateOptions {
  readonly seed: number;
  readonly baseClusters?: number;
  readonly maxGroups?: number;
  /** a full recompute from scratch (Polis's `:recompute`) instead of a warm-started update */
  readonly recompute?: boolean;
}

export interface OpinionUpdate {
  readonly map: OpinionMap;
  readonly state: OpinionMapState;
}

function startComponents(matrix: VoteMatrix, previous: OpinionMapState | null): [Float64Array, Float64Array] | undefined {
  if (!previous) return undefined;
  const columnOf = new Map(previous.pca.statementIds.map((id, j) => [id, j]));
  const take = (component: readonly number[]) => Float64Array.from(matrix.statementIds, (id) => component[columnOf.get(id) ?? -1] ?? 0);
  return [take(previous.pca.components[0]), take(previous.pca.components[1])];
}

/** the previous clusters as point indices of this update (members no longer here are dropped) */
function previousClusters<M>(clusters: readonly { id: number; members: readonly M[] }[] | undefined, indexOf: ReadonlyMap<M, number>): IdentifiedCluster[] | null {
  if (!clusters || clusters.length === 0) return null;
  return clusters.map((c) => ({ id: c.id, members: c.members.flatMap((m) => (indexOf.has(m) ? [indexOf.get(m)!] : [])) }));
}

/** Polis's `group-k-smoother`: ties of silhouette go to the larger k (Clojure's max-key) */
export function smoothK(previous: KSmoother | null, silhouettes: ReadonlyMap<number, number>): KSmoother | null {
  let best: number | null = null;
  for (const [k, score] of [...silhouettes].sort((a, b) => a[0] - b[0])) if (best === null || score >= silhouettes.get(best)!) best = k;
  if (best === null) return previous;
  const lastKCount = previous && previous.lastK === best ? previous.lastKCount + 1 : 1;
  const smoothedK = lastKCount >= K_SMOOTHING_UPDATES || !previous ? best : previous.smoothedK;
  return { lastK: best, lastKCount, smoothedK };
}

/**
 * Labels for the new groups: each takes the label of the previous group it shares the most participants
 * with (the assignment maximising the total overlap, found exhaustively: at most a handful of groups);
 * groups matching none take the smallest labels left, largest group first.
 */
export function stableLabels(groups: readonly (readonly string[])[], previous: readonly { label: number; participants: readonly string[] }[], canonical: Int32Array): number[] {
  const overlap = groups.map((g) => {
    const mine = new Set(g);
    return previous.map((p) => p.participants.reduce((n, id) => n + (mine.has(id) ? 1 : 0), 0));
  });
  let best: { total: number; choice: number[] } = { total: -1, choice: [] };
  const choice: number[] = [];
  const used = new Set<number>();
  const search = (g: number, total: number): void => {
    if (g === groups.length) {
      if (total > best.total) best = { total, choice: [...choice] };
      return;
    }
    for (let p = 0; p < previous.length; p++) {
      if (used.has(p) || overlap[g]![p]! === 0) continue;
      used.add(p);
      choice.push(p);
      search(g + 1, total + overlap[g]![p]!);
      choice.pop();
      used.delete(p);
    }
    choice.push(-1);
    search(g + 1, total);
    choice.pop();
  };
  if (groups.length <= 8 && previous.length <= 8) search(0, 0);
  else best = { total: 0, choice: groups.map(() => -1) };
  const labels = best.choice.map((p) => (p >= 0 ? previous[p]!.label : -1));
  const taken = new Set(labels.filter((l) => l >= 0));
  const unmatched = groups.map((_, g) => g).filter((g) => labels[g] === -1).sort((a, b) => canonical[a]! - canonical[b]!);
  let next = 0;
  for (const g of unmatched) {
    while (taken.has(next)) next += 1;
    labels[g] = next;
    taken.add(next);
  }
  return labels;
}

/**
 * The previous clustering with k groups, on this update's base clusters: base-cluster ids carry over
 * (base clusters are always warm-started, as Polis's are), and Polis keeps group members as base-cluster ids.
 */
function previousGrouping(previous: OpinionMapState, k: number, baseIds: readonly number[]): IdentifiedCluster[] | null {
  const groups = previous.groupClusterings[String(k)];
  if (!groups || groups.length === 0) return null;
  return previousClusters(groups, new Map(baseIds.map((id, index) => [id, index])));
}

interface Clusterings {
  readonly byK: Map<number, WarmKMeansResult>;
  readonly silhouettes: Map<number, number>;
}

interface BaseLevel {
  readonly points: Float64Array;
  readonly weights: Float64Array;
  readonly ids: readonly number[];
}

function groupClusterings(base: BaseLevel, maxGroups: number, previous: OpinionMapState | null): Clusterings {
  const { points: basePoints, weights: baseWeights } = base;
  const nBase = base.ids.length;
  const top = Math.min(maxGroupCount(nBase, maxGroups), nBase);
  const byK = new Map<number, WarmKMeansResult>();
  const silhouettes = new Map<number, number>();
  for (let k = 2; k <= top; k++) {
    const last = previous ? previousGrouping(previous, k, base.ids) : null;
    const result = polisKMeansFrom(basePoints, baseWeights, k, last, POLIS_GROUP_ITERATIONS);
    byK.set(k, result);
    silhouettes.set(k, silhouette(basePoints, result.assignment, result.clusters.length));
  }
  return { byK, silhouettes };
}

/**
 * One update of the map from the previous state (null: the first map, as the one-shot computes it).
 * `recompute`: Polis's full recompute (conv_man.clj `load-or-init` with `:recompute`, and its export's
 * `get-export-data-at-time`: a new conversation fed every vote): PCA, base clusters, groups and the k
 * smoother start from nothing, as the one-shot map does; only the in-conversation set (monotone) and the
 * group labels (matched to the previous groups) come from the previous state. See `updateDue` for when.
 */
export function updateOpinionMap(conversation: OpinionConversation, previous: OpinionMapState | null, options: UpdateOptions): OpinionUpdate {
  const warm = options.recompute ? null : previous;
  const matrix = buildVoteMatrix(conversation);
  assertMappable(matrix);
  const pca = sparsePca(matrix, options.seed, startComponents(matrix, warm));
  const projections = projectParticipants(matrix, pca);
  const voteCounts = rowVoteCounts(matrix);
  const rowOf = new Map(matrix.participantIds.map((p, i) => [p, i]));
  const keepIds = [...(previous?.inConversation ?? []), ...(conversation.inConversation ?? [])];
  const keep = new Set(keepIds.flatMap((p) => (rowOf.has(p) ? [rowOf.get(p)!] : [])));
  const clustered = selectClusterable(voteCounts, matrix.statementIds.length, keep);
  assertClusterable(clustered);

  const points = Float64Array.from(clustered.flatMap((i) => [projections[2 * i]!, projections[2 * i + 1]!]));
  const pointOf = new Map(clustered.map((row, index) => [matrix.participantIds[row]!, index]));
  const baseK = options.baseClusters ?? DEFAULT_OPINION_OPTIONS.baseClusters;
  const base = polisKMeansFrom(points, new Float64Array(clustered.length).fill(1), baseK, previousClusters(warm?.baseClusters, pointOf), POLIS_BASE_ITERATIONS);
  const basePoints = Float64Array.from(base.clusters.flatMap((c) => [...c.center]));
  const baseWeights = Float64Array.from(base.clusters, (c) => c.members.length);
  const baseIds = base.clusters.map((c) => c.id);
  const maxGroups = options.maxGroups ?? DEFAULT_OPINION_OPTIONS.maxGroups;
  const baseMembers = base.clusters.map((c) => c.members.map((p) => matrix.participantIds[clustered[p]!]!));
  const { byK, silhouettes } = groupClusterings({ points: basePoints, weights: baseWeights, ids: baseIds }, maxGroups, warm);
  const kSmoother = smoothK(warm?.kSmoother ?? null, silhouettes);
  const chosen = byK.get(kSmoother?.smoothedK ?? -1) ?? byK.get(kSmoother?.lastK ?? -1) ?? null;

  // members (rows) and centers of the chosen groups; one group of everyone when no k ≥ 2 can be tried
  const groupRows: number[][] = chosen ? chosen.clusters.map((g) => g.members.flatMap((b) => base.clusters[b]!.members.map((p) => clustered[p]!))) : [[...clustered]];
  const groupCenters: [number, number][] = chosen
    ? chosen.clusters.map((g) => [g.center[0], g.center[1]])
    : [[points.reduce((s, x, i) => s + (i % 2 === 0 ? x : 0), 0) / clustered.length, points.reduce((s, y, i) => s + (i % 2 === 1 ? y : 0), 0) / clustered.length]];
  const canonical = canonicalGroupOrder(groupRows.map((m) => m.length), Float64Array.from(groupCenters.flat()));
  const participantsOf = groupRows.map((rows) => rows.map((i) => matrix.participantIds[i]!));
  const labels = previous && previous.groups.length > 0 ? stableLabels(participantsOf, previous.groups, canonical) : [...canonical];
  const order = labels.map((label, g) => ({ label, g })).sort((a, b) => a.label - b.label);
  const groups: GroupDefinition[] = order.map(({ label, g }) => ({ id: label, members: groupRows[g]!.sort((a, b) => a - b) }));
  const centers = order.map(({ g }) => groupCenters[g]!);

  const update = (previous?.update ?? 0) + 1;
  const map = assembleOpinionMap(matrix, {
    pca,
    projections,
    voteCounts,
    clustered,
    groups,
    centers,
    silhouettes: Object.fromEntries([...silhouettes].map(([k, s]) => [String(k), s])),
    parameters: {
      seed: options.seed,
      baseClusters: baseK,
      maxGroups,
      polisInitialisation: 1,
      groupRestarts: 0,
      update,
      kSmoothingUpdates: K_SMOOTHING_UPDATES,
      recomputed: options.recompute ? 1 : 0,
      pcaIterations: pca.iterations,
    },
  });
  const state: OpinionMapState = {
    update,
    inConversation: clustered.map((i) => matrix.participantIds[i]!),
    pca: { statementIds: [...matrix.statementIds], components: [[...pca.components[0]], [...pca.components[1]]] },
    baseClusters: base.clusters.map((c, b) => ({ id: c.id, members: baseMembers[b]!, center: c.center })),
    groupClusterings: Object.fromEntries(
      [...byK].map(([k, result]) => [String(k), result.clusters.map((g) => ({ id: g.id, members: g.members.map((b) => baseIds[b]!), center: g.center }))]),
    ),
    kSmoother,
    recomputed: options.recompute === true,
    groups: groups.map((g) => ({ label: g.id, participants: g.members.map((i) => matrix.participantIds[i]!) })),
  };
  return { map, state };
}

/**
 * When a stored map is updated (not on every request; requests read the stored map in between):
 *  - there is none yet;
 *  - something other than new votes changed what it may count: a statement moderated in or out, or a
 *    participant counted in it who no longer is (consent to aggregate withdrawn) — at once;
 *  - at least max(UPDATE_MIN_NEW_VOTES, UPDATE_SHARE_OF_VOTES × the votes it was computed from) new votes,
 *    the schedule the vTaiwan replay was measured at (an update every 5% of the votes);
 *  - or any new vote once UPDATE_MAX_AGE_MS have passed since it was computed, so a slow trickle still shows.
 * And once a conversation has gone quiet, the map is recomputed from scratch (settleDue).
 */
export const UPDATE_MIN_NEW_VOTES = 20;
export const UPDATE_SHARE_OF_VOTES = 0.05;
export const UPDATE_MAX_AGE_MS = 10 * 60_000;

export interface StoredMapFacts {
  readonly votes: number;
  readonly computedAt: Date;
  readonly inputsDigest: string;
}

export function updateDue(stored: StoredMapFacts | null, now: { votes: number; inputsDigest: string; participantsGone: boolean; at: Date }): boolean {
  if (!stored) return true;
  if (stored.inputsDigest !== now.inputsDigest || now.participantsGone) return true;
  const fresh = now.votes - stored.votes;
  if (fresh >= Math.max(UPDATE_MIN_NEW_VOTES, Math.ceil(UPDATE_SHARE_OF_VOTES * stored.votes))) return true;
  return fresh !== 0 && now.at.getTime() - stored.computedAt.getTime() >= UPDATE_MAX_AGE_MS;
}

/**
 * A conversation that has had no new vote for QUIET_RECOMPUTE_MS since its map was last updated gets one
 * full recompute (updateOpinionMap with `recompute`), as Polis's maps are recomputed from scratch when its
 * math worker starts with `:recompute` and when an export is computed at a time. Warm starts keep a live
 * map steady, but their k-means stays in the local optimum an early, sparser map settled in: bg2050
 * replayed with warm updates every 5%, 2% or 1% of its votes ends at ARI 0.731 against Polis's exported
 * groups, while Polis's groups are exactly the from-scratch ones (ARI 1.000; they even fit worse, inertia
 * 799.7 against 786.4, so warm updates alone cannot reach them). A day without votes is when the live map
 * no longer needs to be steady, and the recomputed map is the one anyone can reproduce from the data.
 * The next vote continues with warm updates from the recomputed state.
 */
export const QUIET_RECOMPUTE_MS = 24 * 3600_000;

export function settleDue(stored: (StoredMapFacts & { readonly recomputed?: boolean }) | null, now: { votes: number; at: Date }): boolean {
  if (!stored || stored.recomputed === true || now.votes !== stored.votes) return false;
  return now.at.getTime() - stored.computedAt.getTime() >= QUIET_RECOMPUTE_MS;
}
