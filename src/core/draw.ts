/**
 * Drawing the next battle without enumerating every (item, pair of subjects).
 *
 * The policy is chooseBattle's (src/core/assignment.ts), exactly. An option is an (item i, unordered pair
 * {x, y} of distinct subjects) such that i is in the pool (accepted), x and y are available and both have a
 * response on i, and the participant has not judged (i, {x, y}) yet. With n_xy the number of current pairwise
 * judgments of the pair in the evaluation and w_xy = 1 / (1 + n_xy):
 *
 *     P(i, {x, y}) = w_xy / Σ_{eligible (i', {x', y'})} w_x'y'        and each side order with probability 1/2.
 *
 * Equivalently: a pair with C_xy common items of which s_xy are already seen by the participant is drawn
 * with probability (C_xy − s_xy)·w_xy / Σ (C − s)·w, then an item uniformly among its C_xy − s_xy unseen ones.
 *
 * How it is sampled, at a cost independent of items × subjects²:
 *  1. Proposal (up to `tries` times): a pair with probability C_xy·w_xy / Σ C·w (binary search in the
 *     cumulative weights, O(pairs) to build, O(log pairs) to search), then a uniform item among its C_xy
 *     common items (k-th set bit of two subjects' item bitsets, O(items / 32)). If the participant has seen
 *     that (item, pair), the proposal is rejected and drawn again. Rejection sampling from the unconditioned
 *     distribution yields exactly the distribution conditioned on "not seen", i.e. the formula above.
 *  2. Fallback when every try was rejected (the participant has seen much of the pool): the exact
 *     computation of (C − s)·w per pair from the participant's seen set, O(pairs + seen + items / 32).
 *     Also exact, with fresh randomness, so the mixture of 1 and 2 is still exactly the formula above.
 *  3. null only when Σ (C − s)·w = 0: nothing is left for this participant.
 * The seen set comes from the database on each draw (never from process memory), and responses on an item
 * are one per subject (UNIQUE (item_id, subject_id)), so a battle never has the same subject twice. The judging
 * service's common path draws with an empty seen set and lets its insert refuse a seen proposal, then draws again
 * with the seen set read: the same rejection step, taken by the database.
 */
import type { Battle, CandidateResponse } from "./assignment.ts";
import { pairKey } from "./assignment.ts";

export interface PoolRow {
  readonly item_id: string;
  readonly response_id: string;
  readonly subject_id: string;
}

/** The assignment pool of one evaluation, for drawing: item bitsets per subject and common-item counts per pair. */
export interface PoolIndex {
  readonly itemIds: readonly string[];
  readonly subjectIds: readonly string[];
  readonly itemIndex: ReadonlyMap<string, number>;
  /** response id of subject s on item i at i * subjects + s */
  readonly responses: readonly (string | undefined)[];
  /** 32-bit words per subject bitset */
  readonly words: number;
  /** subject s's items: bits [s * words, (s + 1) * words) */
  readonly bits: Uint32Array;
  /** pairs with at least one common item: subject indexes a < b (by subject id order) and C_ab */
  readonly pairA: Int32Array;
  readonly pairB: Int32Array;
  readonly common: Int32Array;
  /** pairKey(subject id, subject id) → pair index */
  readonly pairIndex: ReadonlyMap<string, number>;
}

export function buildPoolIndex(rows: readonly PoolRow[]): PoolIndex {
  const itemIndex = new Map<string, number>();
  const subjectSet = new Set<string>();
  for (const row of rows) {
    if (!itemIndex.has(row.item_id)) itemIndex.set(row.item_id, itemIndex.size);
    subjectSet.add(row.subject_id);
  }
  const subjectIds = [...subjectSet].sort();
  const subjectIndex = new Map(subjectIds.map((id, s) => [id, s]));
  const itemIds = [...itemIndex.keys()];
  const S = subjectIds.length;
  const words = Math.ceil(itemIds.length / 32);
  const bits = new Uint32Array(S * words);
  const responses: (string | undefined)[] = new Array<string | undefined>(itemIds.length * S).fill(undefined);
  for (const row of rows) {
    const i = itemIndex.get(row.item_id) as number;
    const s = subjectIndex.get(row.subject_id) as number;
    responses[i * S + s] = row.response_id;
    bits[s * words + (i >>> 5)] = ((bits[s * words + (i >>> 5)] as number) | (1 << (i & 31))) >>> 0;
  }
  const pairA: number[] = [];
  const pairB: number[] = [];
  const common: number[] = [];
  const pairIndex = new Map<string, number>();
  for (let a = 0; a < S; a++) {
    for (let b = a + 1; b < S; b++) {
      let c = 0;
      for (let w = 0; w < words; w++) c += popcount((bits[a * words + w] as number) & (bits[b * words + w] as number));
      if (c === 0) continue;
      pairIndex.set(pairKey(subjectIds[a] as string, subjectIds[b] as string), pairA.length);
      pairA.push(a);
      pairB.push(b);
      common.push(c);
    }
  }
  return {
    itemIds,
    subjectIds,
    itemIndex,
    responses,
    words,
    bits,
    pairA: Int32Array.from(pairA),
    pairB: Int32Array.from(pairB),
    common: Int32Array.from(common),
    pairIndex,
  };
}

/** w_p = 1 / (1 + n_p) for each pair of the index, from comparison counts keyed by pairKey. */
export function pairWeights(index: PoolIndex, counts: ReadonlyMap<string, number>): Float64Array {
  const weights = new Float64Array(index.common.length).fill(1);
  for (const [key, n] of counts) {
    const p = index.pairIndex.get(key);
    if (p !== undefined) weights[p] = 1 / (1 + Math.max(0, n));
  }
  return weights;
}

/** A seen (item, pair) as one number; entries outside the pool are dropped (they can never be drawn). */
export function seenKeys(index: PoolIndex, seen: Iterable<{ item_id: string; x: string; y: string }>): Set<number> {
  const keys = new Set<number>();
  const P = index.common.length;
  for (const row of seen) {
    const i = index.itemIndex.get(row.item_id);
    const p = index.pairIndex.get(pairKey(row.x, row.y));
    if (i !== undefined && p !== undefined) keys.add(i * P + p);
  }
  return keys;
}

export interface DrawOptions {
  /** rejection-sampling tries before the exact fallback (default 32) */
  tries?: number;
}

/** Draws (item, pair) by the distribution stated at the top of this file; null when nothing is left. */
export function drawBattle(index: PoolIndex, weights: Float64Array, seen: ReadonlySet<number>, random: () => number, options: DrawOptions = {}): Battle | null {
  const P = index.common.length;
  if (P === 0) return null;
  const tries = options.tries ?? 32;
  if (tries > 0) {
    const cumulative = new Float64Array(P);
    let total = 0;
    for (let p = 0; p < P; p++) {
      total += (index.common[p] as number) * (weights[p] as number);
      cumulative[p] = total;
    }
    if (total > 0) {
      for (let t = 0; t < tries; t++) {
        const p = searchCumulative(cumulative, random() * total);
        const item = kthCommonItem(index, p, Math.floor(random() * (index.common[p] as number)), null);
        if (!seen.has(item * P + p)) return battleOf(index, item, p, random);
      }
    }
  }
  return exactDraw(index, weights, seen, random);
}

function exactDraw(index: PoolIndex, weights: Float64Array, seen: ReadonlySet<number>, random: () => number): Battle | null {
  const P = index.common.length;
  const seenByPair = new Map<number, Set<number>>();
  for (const key of seen) {
    const p = key % P;
    const item = (key - p) / P;
    const a = index.pairA[p] as number;
    const b = index.pairB[p] as number;
    if (!hasItem(index, a, item) || !hasItem(index, b, item)) continue;
    const set = seenByPair.get(p) ?? new Set<number>();
    set.add(item);
    seenByPair.set(p, set);
  }
  const cumulative = new Float64Array(P);
  let total = 0;
  for (let p = 0; p < P; p++) {
    const left = (index.common[p] as number) - (seenByPair.get(p)?.size ?? 0);
    total += left * (weights[p] as number);
    cumulative[p] = total;
  }
  if (!(total > 0)) return null;
  const p = searchCumulative(cumulative, random() * total);
  const excluded = seenByPair.get(p) ?? null;
  const left = (index.common[p] as number) - (excluded?.size ?? 0);
  const item = kthCommonItem(index, p, Math.floor(random() * left), excluded);
  return battleOf(index, item, p, random);
}

/** The other subjects' responses on an item (for rankings), in subject order. */
export function responsesOnItem(index: PoolIndex, itemId: string): CandidateResponse[] {
  const i = index.itemIndex.get(itemId);
  if (i === undefined) return [];
  const S = index.subjectIds.length;
  const out: CandidateResponse[] = [];
  for (let s = 0; s < S; s++) {
    const responseId = index.responses[i * S + s];
    if (responseId) out.push({ responseId, subjectId: index.subjectIds[s] as string });
  }
  return out;
}

function battleOf(index: PoolIndex, item: number, p: number, random: () => number): Battle {
  const S = index.subjectIds.length;
  const a = index.pairA[p] as number;
  const b = index.pairB[p] as number;
  const x: CandidateResponse = { responseId: index.responses[item * S + a] as string, subjectId: index.subjectIds[a] as string };
  const y: CandidateResponse = { responseId: index.responses[item * S + b] as string, subjectId: index.subjectIds[b] as string };
  const itemId = index.itemIds[item] as string;
  return random() < 0.5 ? { itemId, left: x, right: y } : { itemId, left: y, right: x };
}

function hasItem(index: PoolIndex, s: number, item: number): boolean {
  return (((index.bits[s * index.words + (item >>> 5)] as number) >>> (item & 31)) & 1) === 1;
}

/** The k-th (0-based) item common to the pair's two subjects, skipping `excluded` items. */
function kthCommonItem(index: PoolIndex, p: number, k: number, excluded: ReadonlySet<number> | null): number {
  const { words, bits } = index;
  const a = (index.pairA[p] as number) * words;
  const b = (index.pairB[p] as number) * words;
  let remaining = k;
  for (let w = 0; w < words; w++) {
    let word = ((bits[a + w] as number) & (bits[b + w] as number)) >>> 0;
    if (excluded) {
      for (const item of excluded) if (item >>> 5 === w) word = (word & ~(1 << (item & 31))) >>> 0;
    }
    const c = popcount(word);
    if (remaining >= c) {
      remaining -= c;
      continue;
    }
    for (let bit = 0; bit < 32; bit++) {
      if ((word >>> bit) & 1) {
        if (remaining === 0) return w * 32 + bit;
        remaining -= 1;
      }
    }
  }
  throw new Error("kthCommonItem: k out of range");
}

/** The first index whose cumulative weight exceeds `target` (target in [0, total)). */
function searchCumulative(cumulative: Float64Array, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  // Zero-weight pairs share the cumulative value of their predecessor and are never the first to exceed it;
  // floating rounding at the very top falls back to the last pair with weight.
  while (lo > 0 && cumulative[lo] === cumulative[lo - 1]) lo -= 1;
  return lo;
}

function popcount(x: number): number {
  let v = x >>> 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export interface DrawnCell {
  itemId: string;
  response: CandidateResponse;
}

/**
 * A uniformly random (item, subject) cell that holds a response and passes `allowed`: cells are proposed
 * uniformly and rejected when empty or not allowed (32 tries), then the allowed cells are listed and one
 * is drawn uniformly. Either stage gives the uniform distribution over allowed cells.
 */
export function drawCell(index: PoolIndex, allowed: (responseId: string, itemId: string) => boolean, random: () => number): DrawnCell | null {
  const S = index.subjectIds.length;
  const cellOf = (c: number): DrawnCell | null => {
    const responseId = index.responses[c];
    if (!responseId) return null;
    const itemId = index.itemIds[Math.floor(c / S)] as string;
    return allowed(responseId, itemId) ? { itemId, response: { responseId, subjectId: index.subjectIds[c % S] as string } } : null;
  };
  const n = index.responses.length;
  if (n === 0 || S === 0) return null;
  for (let t = 0; t < 32; t++) {
    const found = cellOf(Math.floor(random() * n));
    if (found) return found;
  }
  const open: DrawnCell[] = [];
  for (let c = 0; c < n; c++) {
    const found = cellOf(c);
    if (found) open.push(found);
  }
  return open[Math.floor(random() * open.length)] ?? null;
}
