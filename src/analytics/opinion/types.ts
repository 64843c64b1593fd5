/**
 * Types of the opinion map (Polis's published method). A vote is a word, never a bare number:
 * the numeric encodings of Polis (+1 agree in CSV exports, -1 agree in its internal math) live only
 * in the Polis connector, and the numeric encoding used inside the PCA kernel is private to it.
 */

export const VOTES = ["agree", "disagree", "pass"] as const;
export type Vote = (typeof VOTES)[number];

export interface OpinionStatement {
  readonly id: string;
  /** moderated out (rejected) or meta: kept out of PCA (zeroed column), repness and consensus, as Polis does */
  readonly moderatedOut: boolean;
  /** a meta statement (about the conversation itself); Polis gives it a fixed routing priority */
  readonly isMeta: boolean;
}

/** the latest vote of one participant on one statement */
export interface OpinionVote {
  readonly participant: string;
  readonly statement: string;
  readonly vote: Vote;
}

/** a conversation as the opinion map needs it: statements, participants and their latest votes */
export interface OpinionConversation {
  readonly statements: readonly OpinionStatement[];
  /**
   * participant ids in a stable order (the order of first appearance is a fine choice). Polis's k-means
   * starts from the first participants in this order: Polis's own order is first appearance in the
   * votes sorted by statement then participant id, which is the order of a Polis export's votes.csv
   */
  readonly participants: readonly string[];
  readonly votes: readonly OpinionVote[];
  /**
   * participants the conversation's history put "in" (see in-conversation.ts), when the votes' times are
   * known; they are clustered whatever their current vote count, as Polis does
   */
  readonly inConversation?: readonly string[];
}

export const CLUSTER_INITIALISATIONS = ["polis", "kmeans++"] as const;
export type ClusterInitialisation = (typeof CLUSTER_INITIALISATIONS)[number];

export interface OpinionMapOptions {
  /** seed of the PCA start and of "kmeans++" initialisations; same data and seed give the same map */
  readonly seed: number;
  /** number of base clusters (Polis: 100) */
  readonly baseClusters?: number;
  /** largest number of groups tried (Polis: 5) */
  readonly maxGroups?: number;
  /**
   * how the k-means start without history: "polis" (default) as Polis does, from the first k distinct
   * points in participant order (base clusters) and in base-cluster order (groups), deterministic;
   * "kmeans++" from seeded k-means++ initialisations, keeping the lowest inertia of `groupRestarts`
   */
  readonly clusterInitialisation?: ClusterInitialisation;
  /** restarts of the group k-means per k with "kmeans++" (the best weighted inertia is kept) */
  readonly groupRestarts?: number;
  /**
   * groups of a previous map (participant ids): the group k-means starts from their centers and keeps
   * their number, as each Polis update does from the last one (warm start and k smoothing)
   */
  readonly previousGroups?: readonly (readonly string[])[];
  /** participant ids always clustered whatever their vote count (Polis keeps anyone once "in") */
  readonly keepParticipants?: readonly string[];
}

export interface GroupDefinition {
  readonly id: number;
  /** participant row indices (see VoteMatrix) */
  readonly members: readonly number[];
}

export interface RepresentativeStatement {
  readonly statement: string;
  readonly repfulFor: "agree" | "disagree";
  readonly nSuccess: number;
  readonly nTrials: number;
  readonly pSuccess: number;
  readonly pTest: number;
  readonly repness: number;
  readonly repnessTest: number;
  /** present on the group's best agreed statement, as Polis marks it */
  readonly bestAgree?: true;
  readonly nAgree?: number;
}

export interface ConsensusStatement {
  readonly statement: string;
  readonly nSuccess: number;
  readonly nTrials: number;
  readonly pSuccess: number;
  readonly pTest: number;
}

export interface ConsensusStatements {
  readonly agree: readonly ConsensusStatement[];
  readonly disagree: readonly ConsensusStatement[];
}

export interface OpinionGroup {
  /** canonical label: groups ordered by size (largest first), then by centroid x, then y */
  readonly id: number;
  readonly participants: readonly string[];
  readonly center: readonly [number, number];
}

export interface Exclusion {
  readonly participant: string;
  readonly reason: string;
}

export interface OpinionMap {
  readonly rule: {
    readonly name: "polis-opinion-map";
    /** 2: groups from Polis's k-means initialisation by default (1: seeded k-means++ with restarts) */
    readonly version: 2;
    readonly parameters: Readonly<Record<string, number>>;
  };
  readonly counts: {
    readonly participants: number;
    readonly statements: number;
    readonly votes: number;
    readonly clustered: number;
  };
  readonly pca: {
    /** column means over the votes cast, agree = +1, disagree = -1, pass = 0 (the kernel's encoding) */
    readonly center: readonly number[];
    readonly components: readonly [readonly number[], readonly number[]];
    readonly eigenvalues: readonly [number, number];
    readonly statementIds: readonly string[];
  };
  readonly projections: Readonly<Record<string, readonly [number, number]>>;
  readonly excluded: readonly Exclusion[];
  /** how many groups, and the silhouette of each k tried */
  readonly silhouettes: Readonly<Record<string, number>>;
  readonly groups: readonly OpinionGroup[];
  readonly repness: Readonly<Record<string, readonly RepresentativeStatement[]>>;
  readonly consensus: ConsensusStatements;
  readonly groupInformedConsensus: Readonly<Record<string, number>>;
  /** Polis comment priority per statement (see priority.ts), used for statement routing */
  readonly priorities: Readonly<Record<string, number>>;
}
