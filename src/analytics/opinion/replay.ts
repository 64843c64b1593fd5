/**
 * A conversation's vote events fed in time order through the update loop (update.ts), with an update each
 * time another `every` share of the events has arrived: the map a live deployment would have shown, update
 * by update. Later votes of a participant on a statement replace earlier ones, as they do live. When no vote
 * follows an update for QUIET_RECOMPUTE_MS (always after the last one), the server's full recompute
 * (update.ts settleDue) follows it, at the same vote count.
 */
import { adjustedRandIndex } from "./ari.ts";
import { everInConversation } from "./in-conversation.ts";
import { OpinionInputError } from "./matrix.ts";
import type { OpinionMap, OpinionStatement, OpinionVote } from "./types.ts";
import { QUIET_RECOMPUTE_MS, updateOpinionMap, type OpinionMapState, type UpdateOptions } from "./update.ts";

export interface TimedVoteEvent extends OpinionVote {
  readonly at: number;
}

export interface ReplayInput {
  readonly statements: readonly OpinionStatement[];
  /** creation time of each statement, when known (the in-conversation rule counts statements existing then) */
  readonly statementTimes?: readonly number[];
  /** participant ids in the conversation's order (Polis's k-means start follows it) */
  readonly participants: readonly string[];
  readonly events: readonly TimedVoteEvent[];
}

export interface ReplayStep {
  readonly update: number;
  /** a full recompute after QUIET_RECOMPUTE_MS without votes (settleDue), not a warm-started update */
  readonly recomputed: boolean;
  /** vote events fed so far (re-votes included) */
  readonly votes: number;
  readonly map: OpinionMap;
  readonly state: OpinionMapState;
}

/** the event counts after which an update runs: ⌈i · every · n⌉ for i = 1, 2, … and n itself */
export function replayCheckpoints(n: number, every: number): number[] {
  if (!(every > 0 && every <= 1)) throw new OpinionInputError(`the share of votes between updates must be in (0, 1], not ${every}`);
  const cuts = new Set<number>();
  for (let i = 1; i * every < 1 + 1e-9; i++) cuts.add(Math.min(n, Math.ceil(i * every * n - 1e-9)));
  cuts.add(n);
  return [...cuts].filter((c) => c > 0).sort((a, b) => a - b);
}

/**
 * Replays the events; a checkpoint where no map can be drawn yet (too few voters) is skipped.
 * Each step is one update: a warm one at each checkpoint, a recompute after each quiet period.
 * `fromScratch`: every update ignores the previous state (the one-shot map at each checkpoint), for comparison.
 */
export function replayOpinionMap(input: ReplayInput, every: number, options: UpdateOptions & { fromScratch?: boolean }): ReplayStep[] {
  const ordered = input.events.map((event, index) => ({ event, index })).sort((x, y) => x.event.at - y.event.at || x.index - y.index).map((e) => e.event);
  const latest = new Map<string, TimedVoteEvent>();
  const steps: ReplayStep[] = [];
  let state: OpinionMapState | null = null;
  let fed = 0;
  for (const cut of replayCheckpoints(ordered.length, every)) {
    for (; fed < cut; fed++) {
      const event = ordered[fed]!;
      latest.set(`${event.participant}\u0000${event.statement}`, event);
    }
    const prefix = ordered.slice(0, cut);
    const present = new Set(prefix.map((e) => e.participant));
    const conversation = {
      statements: input.statements,
      participants: input.participants.filter((p) => present.has(p)),
      votes: [...latest.values()].map(({ participant, statement, vote }) => ({ participant, statement, vote })),
      ...(input.statementTimes ? { inConversation: everInConversation(input.statementTimes, prefix) } : {}),
    };
    try {
      const next = updateOpinionMap(conversation, options.fromScratch ? null : state, options);
      state = next.state;
      steps.push({ update: next.state.update, recomputed: false, votes: cut, map: next.map, state: next.state });
      // the silence after this update's last vote (none follows the last one): the server would recompute
      const quietUntil = ordered[cut]?.at ?? Infinity;
      if (!options.fromScratch && quietUntil - ordered[cut - 1]!.at >= QUIET_RECOMPUTE_MS) {
        const settled = updateOpinionMap(conversation, state, { ...options, recompute: true });
        state = settled.state;
        steps.push({ update: settled.state.update, recomputed: true, votes: cut, map: settled.map, state: settled.state });
      }
    } catch (error) {
      if (!(error instanceof OpinionInputError)) throw error;
    }
  }
  return steps;
}

/** each clustered participant's group */
export function groupLabels(map: OpinionMap): Map<string, number> {
  return new Map(map.groups.flatMap((g) => g.participants.map((p) => [p, g.id] as const)));
}

/** adjusted Rand index between two labellings (say a map's groups and Polis's), over the participants both label (null: fewer than 2) */
export function labelAgreement(left: ReadonlyMap<string, string | number>, right: ReadonlyMap<string, string | number>): number | null {
  const common = [...left.keys()].filter((p) => right.has(p));
  if (common.length < 2) return null;
  return adjustedRandIndex(common.map((p) => left.get(p)!), common.map((p) => right.get(p)!));
}

/** adjusted Rand index between two maps' groups, over the participants both clustered (null: fewer than 2) */
export function mapAgreement(a: OpinionMap, b: OpinionMap): number | null {
  return labelAgreement(groupLabels(a), groupLabels(b));
}

/** how often k changed, and the agreement of each map with the one before */
export function replaySummary(steps: readonly ReplayStep[]): { kChanges: number; agreement: (number | null)[]; medianAgreement: number | null } {
  let kChanges = 0;
  const agreement: (number | null)[] = [];
  steps.forEach((step, i) => {
    const before = steps[i - 1];
    if (!before) return;
    if (before.map.groups.length !== step.map.groups.length) kChanges += 1;
    agreement.push(mapAgreement(before.map, step.map));
  });
  const known = agreement.filter((a): a is number => a !== null).sort((x, y) => x - y);
  const middle = known.length / 2;
  const medianAgreement = known.length === 0 ? null : known.length % 2 === 1 ? known[Math.floor(middle)]! : (known[middle - 1]! + known[middle]!) / 2;
  return { kChanges, agreement, medianAgreement };
}
