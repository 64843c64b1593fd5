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
  /** the published groups, by their stable label (the map's group id) */
  readonly groups: readonly { readonly label: number; readonly participants: readonly string[] }[];
}

export interface UpdateOptions {
  readonly seed: number;
  readonly baseClusters?: number;
  readonly maxGroups?: number;
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
 * Base clusters only (an internal summary of ~100 points, never shown): a fresh start (Polis's
 * `init-clusters`) replaces the warm one when its inertia is lower by more than this share. Warm base
 * clusters can stay in the local optimum an early, sparser map settled in (scoop-hivemind's replay:
 * ARI 0.943 against Polis's groups with warm base clusters only, 0.989 with this); the groups are still
 * warm-started, through the participants (previousGrouping), so the published map does not jump. The
 * margin keeps two nearly equal fits from taking turns.
 */
export const FRESH_START_MARGIN = 0.01;

function weightedInertia(points: Float64Array, weights: Float64Array, result: WarmKMeansResult): number {
  let total = 0;
  result.assignment.forEach((c, i) => {
    const [x, y] = result.clusters[c]!.center;
    total += weights[i]! * ((points[2 * i]! - x) ** 2 + (points[2 * i + 1]! - y) ** 2);
  });
  return total;
}

/** Polis's warm start from `last`, unless the fresh start fits better by more than FRESH_START_MARGIN */
function bestStart(points: Float64Array, weights: Float64Array, k: number, last: IdentifiedCluster[] | null, iterations: number): WarmKMeansResult & { fresh: boolean } {
  const warm = polisKMeansFrom(points, weights, k, last, iterations);
  if (!last) return { ...warm, fresh: true };
  const fresh = polisKMeansFrom(points, weights, k, null, iterations);
  const better = weightedInertia(points, weights, fresh) < (1 - FRESH_START_MARGIN) * weightedInertia(points, weights, warm);
  return better ? { ...fresh, fresh: true } : { ...warm, fresh: false };
}

/**
 * The previous clustering with k groups, on this update's base clusters. Base-cluster ids carry over
 * when the base clusters were warm-started (Polis keeps group members as base-cluster ids); after a
 * fresh start of the base clusters the ids mean other clusters, so each new base cluster joins the
 * previous group holding most of its participants.
 */
function previousGrouping(previous: OpinionMapState, k: number, baseIds: readonly number[], baseMembers: readonly (readonly string[])[], baseFresh: boolean): IdentifiedCluster[] | null {
  const groups = previous.groupClusterings[String(k)];
  if (!groups || groups.length === 0) return null;
  if (!baseFresh) return previousClusters(groups, new Map(baseIds.map((id, index) => [id, index])));
  const membersOfBase = new Map(previous.baseClusters.map((b) => [b.id, b.members]));
  const groupOf = new Map<string, number>();
  groups.forEach((g, index) => g.members.forEach((b) => membersOfBase.get(b)?.forEach((p) => groupOf.set(p, index))));
  const members: number[][] = groups.map(() => []);
  baseMembers.forEach((participants, b) => {
    const votes = new Array<number>(groups.length).fill(0);
    for (const p of participants) if (groupOf.has(p)) votes[groupOf.get(p)!]! += 1;
    const best = votes.indexOf(Math.max(...votes));
    if (votes[best]! > 0) members[best]!.push(b);
  });
  return groups.map((g, index) => ({ id: g.id, members: members[index]! }));
}

interface Clusterings {
  readonly byK: Map<number, WarmKMeansResult>;
  readonly silhouettes: Map<number, number>;
}

interface BaseLevel {
  readonly points: Float64Array;
  readonly weights: Float64Array;
  readonly ids: readonly number[];
  readonly members: readonly (readonly string[])[];
  readonly fresh: boolean;
}

function groupClusterings(base: BaseLevel, maxGroups: number, previous: OpinionMapState | null): Clusterings {
  const { points: basePoints, weights: baseWeights } = base;
  const nBase = base.ids.length;
  const top = Math.min(maxGroupCount(nBase, maxGroups), nBase);
  const byK = new Map<number, WarmKMeansResult>();
  const silhouettes = new Map<number, number>();
  for (let k = 2; k <= top; k++) {
    const last = previous ? previousGrouping(previous, k, base.ids, base.members, base.fresh) : null;
    const result = polisKMeansFrom(basePoints, baseWeights, k, last, POLIS_GROUP_ITERATIONS);
    byK.set(k, result);
    silhouettes.set(k, silhouette(basePoints, result.assignment, result.clusters.length));
  }
  return { byK, silhouettes };
}

/** One update of the map from the previous state (null: the first map, as the one-shot computes it). */
export function updateOpinionMap(conversation: OpinionConversation, previous: OpinionMapState | null, options: UpdateOptions): OpinionUpdate {
  const matrix = buildVoteMatrix(conversation);
  assertMappable(matrix);
  const pca = sparsePca(matrix, options.seed, startComponents(matrix, previous));
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
  const base = bestStart(points, new Float64Array(clustered.length).fill(1), baseK, previousClusters(previous?.baseClusters, pointOf), POLIS_BASE_ITERATIONS);
  const basePoints = Float64Array.from(base.clusters.flatMap((c) => [...c.center]));
  const baseWeights = Float64Array.from(base.clusters, (c) => c.members.length);
  const baseIds = base.clusters.map((c) => c.id);
  const maxGroups = options.maxGroups ?? DEFAULT_OPINION_OPTIONS.maxGroups;
  const baseMembers = base.clusters.map((c) => c.members.map((p) => matrix.participantIds[clustered[p]!]!));
  const { byK, silhouettes } = groupClusterings({ points: basePoints, weights: baseWeights, ids: baseIds, members: baseMembers, fresh: base.fresh }, maxGroups, previous);
  const kSmoother = smoothK(previous?.kSmoother ?? null, silhouettes);
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
