/**
 * Vote anomalies, to be reported (never to drop votes silently): FastChat's sequential outlier test per
 * participant, read against the fitted Bradley–Terry model, and bursts of joins through one invitation.
 *
 * The sequential test (FastChat elo_analysis.py `outlier_detect`, here against the fitted model instead of the
 * pair's empirical win rate): FastChat orients each pair by the models' names and keeps two running products of
 * 1/(2·p-value), P(X ≤ x) and P(X ≥ x). Here each pair is oriented with the model's favourite first (a name
 * order would make the test depend on names); then P(X ≥ x) is never below 1/2 for p ≥ 1/2, so that product
 * never grows and only one is kept: per decisive vote, 1/2 when the favourite won, 1/(2(1 − p)) on an upset,
 * p the favourite's predicted chance. Each factor has mean (1 + p)/2 ≤ 1 under the model, so the product is a
 * test martingale and (Ville's inequality) a participant voting as the model predicts ever crosses 1/α with
 * probability at most α. Flagged: the product exceeds 1/α at or after the participant's `minVotes`-th decisive
 * vote. Ties and both_bad carry no evidence (factor 1): FastChat counts a tie in both tails, which would flag
 * people who honestly find two answers equal. No correction for testing many participants: a flag is a
 * question for the organisers, not a verdict, and nothing is dropped.
 */
import { pushTo } from "../../core/multimap.ts";
import type { IndividualVotes } from "./individual-votes.ts";

export const OUTLIER_DEFAULTS = { alpha: 0.05, minVotes: 5 } as const;

export interface OutlierCheck {
  readonly participant: string;
  readonly decisiveVotes: number;
  readonly flagged: boolean;
  /** the decisive vote at which the product crossed 1/α */
  readonly at: number | null;
  /** the product's largest value (log10), for reading how far from the threshold */
  readonly maxLog10: number;
}

/** Every participant with at least `minVotes` decisive votes, tested in the order they voted. */
export function sequentialOutliers(votes: IndividualVotes, strengths: ArrayLike<number>, options: { alpha?: number; minVotes?: number } = {}): OutlierCheck[] {
  const alpha = options.alpha ?? OUTLIER_DEFAULTS.alpha;
  const minVotes = options.minVotes ?? OUTLIER_DEFAULTS.minVotes;
  const threshold = Math.log(1 / alpha);
  const state = votes.participants.map(() => ({ n: 0, log: 0, max: -Infinity, at: null as number | null }));
  for (let k = 0; k < votes.who.length; k++) {
    const s = state[votes.who[k] ?? 0];
    const score = votes.scoreA[k] ?? 0.5;
    if (!s || score === 0.5) continue;
    if (s.at !== null) {
      s.n += 1;
      continue;
    }
    const ra = strengths[votes.a[k] ?? 0] ?? 0;
    const rb = strengths[votes.b[k] ?? 0] ?? 0;
    const aFavoured = ra >= rb;
    const p = 1 / (1 + Math.pow(10, -Math.abs(ra - rb)));
    const favouriteWon = (score === 1) === aFavoured;
    // the p-value of the vote in the upsets' direction: P(X ≤ 1) = 1 when the favourite won, P(X ≤ 0) = 1 − p
    s.log -= favouriteWon ? Math.LN2 : Math.log(2 * (1 - p));
    s.n += 1;
    s.max = Math.max(s.max, s.log);
    if (s.n >= minVotes && s.log > threshold) s.at = s.n;
  }
  return votes.participants.flatMap((participant, i) => {
    const s = state[i];
    if (!s || s.n < minVotes) return [];
    return [{ participant, decisiveVotes: s.n, flagged: s.at !== null, at: s.at, maxLog10: s.max / Math.LN10 }];
  });
}

export const BURST_DEFAULTS = { windowMinutes: 10, minJoins: 10 } as const;

export interface InvitationBurst {
  readonly invitation: string;
  /** the most joins through it within one window */
  readonly joins: number;
  /** participants who joined in that window */
  readonly participants: readonly string[];
}

/** Invitations through which at least `minJoins` participants joined within `windowMinutes` of one another. */
export function invitationBursts(
  joins: readonly { readonly participant: string; readonly invitation: string; readonly at: number }[],
  options: { windowMinutes?: number; minJoins?: number } = {},
): InvitationBurst[] {
  const windowMs = 60_000 * (options.windowMinutes ?? BURST_DEFAULTS.windowMinutes);
  const minJoins = options.minJoins ?? BURST_DEFAULTS.minJoins;
  const byInvitation = new Map<string, { participant: string; at: number }[]>();
  for (const join of joins) pushTo(byInvitation, join.invitation, join);
  const bursts: InvitationBurst[] = [];
  for (const [invitation, list] of byInvitation) {
    const sorted = [...list].sort((x, y) => x.at - y.at || (x.participant < y.participant ? -1 : 1));
    let best = { start: 0, end: 0 };
    for (let start = 0, end = 0; start < sorted.length; start++) {
      while (end < sorted.length && (sorted[end]?.at ?? 0) - (sorted[start]?.at ?? 0) <= windowMs) end++;
      if (end - start > best.end - best.start) best = { start, end };
    }
    if (best.end - best.start >= minJoins) {
      bursts.push({ invitation, joins: best.end - best.start, participants: sorted.slice(best.start, best.end).map((j) => j.participant) });
    }
  }
  return bursts.sort((x, y) => y.joins - x.joins || (x.invitation < y.invitation ? -1 : 1));
}
