/**
 * Seeded pseudo-random numbers for every kernel that resamples or shuffles: mulberry32 for uniforms,
 * inversion and BTRD (Hörmann 1993) for binomials, conditional binomials for multinomials.
 */

export interface Rng {
  /** a uniform number in [0, 1) */
  next(): number;
}

/** mulberry32: a small, fast 32-bit generator; the same seed always gives the same stream. */
class Mulberry32 implements Rng {
  /** the 32-bit state, read and written in place by shuffleInt32InPlace */
  state: number;

  constructor(seed: number) {
    this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export function createRng(seed: number): Rng {
  return new Mulberry32(seed);
}

/** A uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/** Fisher–Yates shuffle in place with the seeded generator. */
export function shuffleInPlace<T extends { length: number; [index: number]: unknown }>(rng: Rng, items: T): T {
  return fisherYates(items, (n) => randomInt(rng, n));
}

/**
 * shuffleInPlace for an Int32Array: the same draws, the same permutation, and the generator left in the same
 * state. With a mulberry32 generator the step is inlined on one typed array, about three times faster
 * than the generic shuffle at a million elements (Elo's random orders).
 */
export function shuffleInt32InPlace(rng: Rng, items: Int32Array): Int32Array {
  if (!(rng instanceof Mulberry32)) return shuffleInPlace(rng, items);
  // the state held as a signed 32-bit integer (the same bits): as an unsigned value above 2³¹ the engine keeps
  // it as a double, and the loop runs about three times slower
  let state = rng.state | 0;
  for (let i = items.length - 1; i > 0; i--) {
    // Mulberry32.next, inlined
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const j = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * (i + 1));
    const held = items[i] as number;
    items[i] = items[j] as number;
    items[j] = held;
  }
  rng.state = state >>> 0;
  return items;
}

/** The one Fisher–Yates shuffle, in place; `below(n)` draws a uniform integer in [0, n) (seeded, or secure for live assignment). */
export function fisherYates<T extends { length: number; [index: number]: unknown }>(items: T, below: (n: number) => number): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(i + 1);
    const held = items[i];
    items[i] = items[j];
    items[j] = held;
  }
  return items;
}

/** A random permutation of 0..n-1. */
export function randomPermutation(rng: Rng, n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(rng, order);
}

/** Binomial(n, p) for integer n ≥ 0: inversion when n·min(p,1−p) < 10, BTRD otherwise. */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  return n * p < 10 ? binomialInversion(rng, n, p) : binomialBtrd(rng, n, p);
}

function binomialInversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const ratio = p / q;
  const a = (n + 1) * ratio;
  let mass = Math.pow(q, n);
  let u = rng.next();
  let x = 0;
  while (u > mass && x < n) {
    u -= mass;
    x += 1;
    mass *= a / x - ratio;
  }
  return x;
}

const STIRLING_TAIL = [
  0.08106146679532726, 0.04134069595540929, 0.02767792568499834, 0.02079067210376509, 0.01664469118982119,
  0.01387612882307075, 0.01189670994589177, 0.01041126526197209, 0.009255462182712733, 0.008330563433362871,
];

/** log(k!) − [(k + ½)·log(k + 1) − (k + 1) + ½·log(2π)], the Stirling correction term. */
function stirlingTail(k: number): number {
  const tabled = STIRLING_TAIL[k];
  if (tabled !== undefined) return tabled;
  const k1 = k + 1;
  const k2 = k1 * k1;
  return (1 / 12 - (1 / 360 - 1 / 1260 / k2) / k2) / k1;
}

/** Hörmann's BTRD (transformed rejection with decomposition), for n·p ≥ 10 and p ≤ ½. */
function binomialBtrd(rng: Rng, n: number, p: number): number {
  const m = Math.floor((n + 1) * p);
  const r = p / (1 - p);
  const nr = (n + 1) * r;
  const npq = n * p * (1 - p);
  const spq = Math.sqrt(npq);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * spq;
  const vr = 0.92 - 4.2 / b;
  const urvr = 0.86 * vr;
  for (;;) {
    let v = rng.next();
    let u: number;
    if (v <= urvr) {
      u = v / vr - 0.43;
      return Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c);
    }
    if (v >= vr) {
      u = rng.next() - 0.5;
    } else {
      u = v / vr - 0.93;
      u = Math.sign(u) * 0.5 - u;
      v = rng.next() * vr;
    }
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    v = (v * alpha) / (a / (us * us) + b);
    const km = Math.abs(k - m);
    if (km <= 15) {
      if (acceptsByRecursion(v, k, m, nr, r)) return k;
      continue;
    }
    const logV = Math.log(v);
    const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5);
    const t = (-km * km) / (2 * npq);
    if (logV < t - rho) return k;
    if (logV > t + rho) continue;
    const nm = n - m + 1;
    const h = (m + 0.5) * Math.log((m + 1) / (r * nm)) + stirlingTail(m) + stirlingTail(n - m);
    const nk = n - k + 1;
    const bound = h + (n + 1) * Math.log(nm / nk) + (k + 0.5) * Math.log((nk * r) / (k + 1)) - stirlingTail(k) - stirlingTail(n - k);
    if (logV <= bound) return k;
  }
}

function acceptsByRecursion(v: number, k: number, m: number, nr: number, r: number): boolean {
  let f = 1;
  if (m < k) {
    for (let i = m + 1; i <= k; i++) f *= nr / i - r;
  } else if (m > k) {
    for (let i = k + 1; i <= m; i++) v *= nr / i - r;
  }
  return v <= f;
}

/**
 * Multinomial(total, weights / Σweights) into `out`, by conditional binomials. Weights are
 * non-negative counts; the remaining mass is tracked exactly, so the draws always sum to `total`.
 */
export function multinomial(rng: Rng, total: number, weights: ArrayLike<number>, out: Float64Array): Float64Array {
  let remainingDraws = total;
  let remainingMass = 0;
  for (let i = 0; i < weights.length; i++) remainingMass += weights[i] ?? 0;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i] ?? 0;
    if (remainingDraws <= 0 || weight <= 0) {
      out[i] = 0;
    } else if (weight >= remainingMass) {
      out[i] = remainingDraws;
      remainingDraws = 0;
    } else {
      const drawn = binomial(rng, remainingDraws, weight / remainingMass);
      out[i] = drawn;
      remainingDraws -= drawn;
    }
    remainingMass -= weight;
  }
  return out;
}
