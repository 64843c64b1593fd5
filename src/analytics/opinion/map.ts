/**
 * The opinion map of a conversation, Polis's published method end to end: sparse PCA, sparsity-aware
 * projection, base clusters and groups (k by silhouette), representative statements, consensus,
 * group-informed consensus and routing priorities. Pure and seeded. Without history, the k-means
 * start as Polis's do (clusters.clj `init-clusters`: the first k distinct points, in order).
 */
import { baseClusters, canonicalGroupOrder, groupClusters, polisBaseClusters, polisGroupClusters, selectClusterable, warmStartedGroups } from "./clustering.ts";
import { consensusStatements, groupInformedConsensus } from "./consensus.ts";
import { buildVoteMatrix, OpinionInputError, rowVoteCounts, type VoteMatrix } from "./matrix.ts";
import { sparsePca, type PcaResult } from "./pca.ts";
import { seededRandom } from "./prng.ts";
import { statementPriorities } from "./priority.ts";
import { projectParticipants, statementExtremity } from "./projection.ts";
import { representativeStatements } from "./repness.ts";
import type { GroupDefinition, OpinionConversation, OpinionGroup, OpinionMap, OpinionMapOptions } from "./types.ts";

export const DEFAULT_OPINION_OPTIONS = { baseClusters: 100, maxGroups: 5, groupRestarts: 20, clusterInitialisation: "polis" } as const;

export function computeOpinionMap(conversation: OpinionConversation, options: OpinionMapOptions): OpinionMap {
  const keepParticipants = options.keepParticipants ?? conversation.inConversation;
  return computeOpinionMapFromMatrix(buildVoteMatrix(conversation), keepParticipants ? { ...options, keepParticipants } : options);
}

function byStatement(matrix: VoteMatrix, values: Float64Array): Record<string, number> {
  return Object.fromEntries(matrix.statementIds.map((id, j) => [id, values[j]!]));
}

/** centers, in the current projection, of the previous groups' members who are clustered now */
function previousCenters(matrix: VoteMatrix, projections: Float64Array, clustered: number[], previous: readonly (readonly string[])[]): Float64Array | null {
  const clusteredSet = new Set(clustered);
  const rowOf = new Map(matrix.participantIds.map((p, i) => [p, i]));
  const centers: number[] = [];
  for (const group of previous) {
    const rows = group.flatMap((p) => (clusteredSet.has(rowOf.get(p) ?? -1) ? [rowOf.get(p)!] : []));
    if (rows.length === 0) continue;
    centers.push(rows.reduce((s, i) => s + projections[2 * i]!, 0) / rows.length, rows.reduce((s, i) => s + projections[2 * i + 1]!, 0) / rows.length);
  }
  return centers.length >= 4 ? Float64Array.from(centers) : null;
}

interface Grouping {
  readonly groups: GroupDefinition[];
  readonly centers: [number, number][];
  readonly silhouettes: Record<string, number>;
}

function findGroups(matrix: VoteMatrix, projections: Float64Array, clustered: number[], options: OpinionMapOptions): Grouping {
  const random = seededRandom(options.seed);
  const polis = initialisationParameters(options).polisInitialisation === 1;
  const points = Float64Array.from(clustered.flatMap((i) => [projections[2 * i]!, projections[2 * i + 1]!]));
  const k = options.baseClusters ?? DEFAULT_OPINION_OPTIONS.baseClusters;
  const maxGroups = options.maxGroups ?? DEFAULT_OPINION_OPTIONS.maxGroups;
  const base = polis ? polisBaseClusters(points, k) : baseClusters(points, k, random);
  const previous = previousCenters(matrix, projections, clustered, options.previousGroups ?? []);
  const grouping = previous
    ? warmStartedGroups(base, previous)
    : polis
      ? polisGroupClusters(base, maxGroups)
      : groupClusters(base, maxGroups, options.groupRestarts ?? DEFAULT_OPINION_OPTIONS.groupRestarts, random);
  const groupCount = grouping.centers.length / 2;
  const members: number[][] = Array.from({ length: groupCount }, () => []);
  clustered.forEach((row, index) => members[grouping.assignment[base.assignment[index]!]!]!.push(row));
  const label = canonicalGroupOrder(members.map((m) => m.length), grouping.centers);
  const groups: GroupDefinition[] = [];
  const centers: [number, number][] = [];
  for (let g = 0; g < groupCount; g++) {
    groups[label[g]!] = { id: label[g]!, members: members[g]! };
    centers[label[g]!] = [grouping.centers[2 * g]!, grouping.centers[2 * g + 1]!];
  }
  const silhouettes = Object.fromEntries([...grouping.silhouettes].map(([kk, s]) => [String(kk), s]));
  return { groups, centers, silhouettes };
}

/** polisInitialisation 1 (Polis's k-means start, no restarts) or 0 (seeded k-means++ with groupRestarts) */
function initialisationParameters(options: OpinionMapOptions): Record<string, number> {
  const polis = (options.clusterInitialisation ?? DEFAULT_OPINION_OPTIONS.clusterInitialisation) === "polis";
  return { polisInitialisation: polis ? 1 : 0, groupRestarts: polis ? 0 : (options.groupRestarts ?? DEFAULT_OPINION_OPTIONS.groupRestarts) };
}

export function computeOpinionMapFromMatrix(matrix: VoteMatrix, options: OpinionMapOptions): OpinionMap {
  assertMappable(matrix);
  const pca = sparsePca(matrix, options.seed);
  const projections = projectParticipants(matrix, pca);
  const voteCounts = rowVoteCounts(matrix);
  const rowOf = new Map(matrix.participantIds.map((p, i) => [p, i]));
  const keep = new Set((options.keepParticipants ?? []).flatMap((p) => (rowOf.has(p) ? [rowOf.get(p)!] : [])));
  const clustered = selectClusterable(voteCounts, matrix.statementIds.length, keep);
  assertClusterable(clustered);
  const grouping = findGroups(matrix, projections, clustered, options);
  const parameters = {
    seed: options.seed,
    baseClusters: options.baseClusters ?? DEFAULT_OPINION_OPTIONS.baseClusters,
    maxGroups: options.maxGroups ?? DEFAULT_OPINION_OPTIONS.maxGroups,
    ...initialisationParameters(options),
    warmStartGroups: options.previousGroups?.length ?? 0,
  };
  return assembleOpinionMap(matrix, { pca, projections, voteCounts, clustered, ...grouping, parameters });
}

export function assertMappable(matrix: VoteMatrix): void {
  if (matrix.statementIds.length === 0 || matrix.value.length === 0) throw new OpinionInputError("the conversation has no votes");
  if (matrix.participantIds.length < 2) throw new OpinionInputError("an opinion map needs at least 2 participants who voted");
}

export function assertClusterable(clustered: readonly number[]): void {
  if (clustered.length < 2) throw new OpinionInputError("fewer than 2 participants have voted enough to be clustered");
}

/** what a map is made from: the PCA, the projections, who is clustered and the labelled groups */
export interface MapParts {
  readonly pca: PcaResult;
  readonly projections: Float64Array;
  readonly voteCounts: Int32Array;
  readonly clustered: readonly number[];
  /** groups by label (GroupDefinition.id); centers[i] is the center of groups[i] */
  readonly groups: readonly GroupDefinition[];
  readonly centers: readonly (readonly [number, number])[];
  readonly silhouettes: Readonly<Record<string, number>>;
  readonly parameters: Readonly<Record<string, number>>;
}

/** the map from its parts: representative statements, consensus, group-informed consensus, priorities */
export function assembleOpinionMap(matrix: VoteMatrix, parts: MapParts): OpinionMap {
  const { pca, projections, voteCounts, clustered, groups, centers } = parts;
  const nCols = matrix.statementIds.length;
  const inGroup = new Set(clustered);
  const repness = representativeStatements(matrix, groups);
  return {
    rule: { name: "polis-opinion-map", version: 2, parameters: { ...parts.parameters, minVotesToCluster: Math.min(7, nCols) } },
    counts: { participants: matrix.participantIds.length, statements: nCols, votes: matrix.value.length, clustered: clustered.length },
    pca: {
      center: [...pca.center],
      components: [[...pca.components[0]], [...pca.components[1]]],
      eigenvalues: pca.eigenvalues,
      statementIds: matrix.statementIds,
    },
    projections: Object.fromEntries(matrix.participantIds.map((p, i) => [p, [projections[2 * i]!, projections[2 * i + 1]!] as const])),
    excluded: matrix.participantIds
      .map((participant, i) => ({ participant, i }))
      .filter(({ i }) => !inGroup.has(i))
      .map(({ participant, i }) => ({ participant, reason: `${voteCounts[i]} votes, fewer than min(7, ${nCols}) needed to be clustered` })),
    silhouettes: parts.silhouettes,
    groups: groups.map((g, index): OpinionGroup => ({ id: g.id, participants: g.members.map((i) => matrix.participantIds[i]!), center: centers[index]! })),
    repness: Object.fromEntries([...repness].map(([id, list]) => [String(id), list])),
    consensus: consensusStatements(matrix),
    groupInformedConsensus: byStatement(matrix, groupInformedConsensus(matrix, groups)),
    priorities: byStatement(matrix, statementPriorities(matrix, [...clustered], statementExtremity(pca))),
  };
}
