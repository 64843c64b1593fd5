/**
 * Style control's one pass over the battles (the fit's whole cost): penalised loss, gradient, Hessian and,
 * when asked, the sandwich's meat at θ = (r, β), with the strength blocks summed per pair. Two copies of the loop,
 * with and without the meat, because a branch per battle in this loop costs more than the copy.
 */
import { ResultsError } from "./types.ts";

const LN10 = Math.LN10;
/** L2 penalty λ on (r, β), as Arena's code */
const STYLE_PENALTY = 0.5;

/** Battles with the style counts of both responses; each row may stand for `weight` identical battles. */
export interface StyleBattles {
  readonly subjects: readonly string[];
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** a's score: 1 win, 0 loss, 0.5 tie or both_bad */
  readonly scoreA: Float64Array;
  /** identical battles per row; 1 each when absent */
  readonly weight?: Float64Array;
  /** per feature (STYLE_FEATURES order), the raw count of side a and of side b, one per row */
  readonly styleA: readonly Float64Array[];
  readonly styleB: readonly Float64Array[];
}

/** The design: per row, the z-scored normalised differences (row-major, m per row), and which features vary. */
export interface StyleDesign {
  readonly features: Float64Array;
  readonly m: number;
  readonly varies: readonly boolean[];
  readonly means: readonly number[];
  readonly deviations: readonly number[];
}

export interface Pass {
  loss: number;
  gradient: Float64Array;
  hessian: Float64Array;
  meat: Float64Array | null;
}

/** Per row, the index of its unordered pair (low subject first), and the pairs; so the strength block is summed per pair. */
export interface PairIndex {
  readonly rowPair: Int32Array;
  /** per row, 1 when its side a is the pair's low subject, −1 when it is the high one */
  readonly rowSign: Int8Array;
  readonly low: Int32Array;
  readonly high: Int32Array;
}

export function pairIndex(battles: StyleBattles): PairIndex {
  const n = battles.subjects.length;
  const seen = n <= 2048 ? denseLookup(n) : new Map<number, number>();
  const rowPair = new Int32Array(battles.a.length);
  const rowSign = new Int8Array(battles.a.length);
  const low: number[] = [];
  const high: number[] = [];
  for (let k = 0; k < battles.a.length; k++) {
    const i = battles.a[k] as number;
    const j = battles.b[k] as number;
    const key = Math.min(i, j) * n + Math.max(i, j);
    let index = seen.get(key);
    if (index === undefined) {
      index = low.length;
      seen.set(key, index);
      low.push(Math.min(i, j));
      high.push(Math.max(i, j));
    }
    rowPair[k] = index;
    rowSign[k] = i <= j ? 1 : -1;
  }
  return { rowPair, rowSign, low: Int32Array.from(low), high: Int32Array.from(high) };
}

/** A Map-like n×n table of pair indices (−1 for none): one array read a battle instead of a hash lookup. */
function denseLookup(n: number): { get(key: number): number | undefined; set(key: number, value: number): void } {
  const table = new Int32Array(n * n).fill(-1);
  return {
    get: (key) => {
      const value = table[key] as number;
      return value < 0 ? undefined : value;
    },
    set: (key, value) => {
      table[key] = value;
    },
  };
}

/** Second-derivative-shaped sums over the battles: per pair, per (subject, feature), per (feature, feature). */
class Blocks {
  readonly pair: Float64Array;
  readonly cross: Float64Array;
  readonly features: Float64Array;

  constructor(pairs: number, n: number, m: number) {
    this.pair = new Float64Array(pairs);
    this.cross = new Float64Array(n * m);
    this.features = new Float64Array(m * m);
  }

  /** The symmetric (n + m)² matrix Σ weight·u·uᵀ, u = (ln10·(e_a − e_b), x). */
  matrix(pairs: PairIndex, n: number, m: number): Float64Array {
    const d = n + m;
    const out = new Float64Array(d * d);
    for (let q = 0; q < pairs.low.length; q++) {
      const i = pairs.low[q] as number;
      const j = pairs.high[q] as number;
      const w = LN10 * LN10 * (this.pair[q] as number);
      out[i * d + i] = (out[i * d + i] as number) + w;
      out[j * d + j] = (out[j * d + j] as number) + w;
      out[i * d + j] = (out[i * d + j] as number) - w;
      out[j * d + i] = (out[j * d + i] as number) - w;
    }
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < m; f++) {
        const value = LN10 * (this.cross[i * m + f] as number);
        out[i * d + n + f] = value;
        out[(n + f) * d + i] = value;
      }
    }
    for (let f = 0; f < m; f++) for (let g = 0; g < m; g++) out[(n + f) * d + n + g] = this.features[f * m + g] as number;
    return out;
  }
}

/**
 * One pass over the battles: penalised loss, gradient, Hessian and (optionally) the sandwich's meat at
 * θ = (r, β). Written out for the four style features, with the strength gradient and the strength × feature
 * block summed per pair (then spread to the pair's two subjects) and the feature block in locals: this loop
 * is the fit's whole cost (4 passes over 1.67 M battles for Arena's data).
 */
export function accumulate(battles: StyleBattles, design: StyleDesign, pairs: PairIndex, theta: Float64Array, withMeat: boolean): Pass {
  const n = battles.subjects.length;
  const { m } = design;
  if (m !== 4) throw new ResultsError("invalid_input", `style control has four features; got ${m}`);
  const d = n + m;
  const pairCount = pairs.low.length;
  const sums = new PairSums(pairCount);
  const hessian = new Blocks(pairCount, n, m);
  const meat = withMeat ? new Blocks(pairCount, n, m) : null;
  const loss = withMeat ? passWithMeat(battles, design, pairs, theta, sums) : passWithoutMeat(battles, design, pairs, theta, sums);
  const gradient = new Float64Array(d);
  sums.spread(pairs, n, gradient, hessian, meat);
  const matrix = hessian.matrix(pairs, n, m);
  let penalty = 0;
  for (let q = 0; q < d; q++) {
    penalty += (theta[q] as number) ** 2;
    gradient[q] = (gradient[q] as number) + STYLE_PENALTY * (theta[q] as number);
    matrix[q * d + q] = (matrix[q * d + q] as number) + STYLE_PENALTY;
  }
  return { loss: loss + 0.5 * STYLE_PENALTY * penalty, gradient, hessian: matrix, meat: meat ? meat.matrix(pairs, n, m) : null };
}

/**
 * Per pair: the strength gradient's sum, the Hessian's (and the meat's) pair weight and strength × feature sums
 * (4 a pair), signed as seen from the pair's low subject; and over all battles the feature gradient and the feature × feature blocks.
 */
class PairSums {
  readonly gradient: Float64Array;
  readonly weight: Float64Array;
  readonly cross: Float64Array;
  readonly meatWeight: Float64Array;
  readonly meatCross: Float64Array;
  readonly featureGradient = new Float64Array(4);
  readonly featureBlock = new Float64Array(16);
  readonly meatFeatureBlock = new Float64Array(16);

  constructor(pairs: number) {
    this.gradient = new Float64Array(pairs);
    this.weight = new Float64Array(pairs);
    this.cross = new Float64Array(4 * pairs);
    this.meatWeight = new Float64Array(pairs);
    this.meatCross = new Float64Array(4 * pairs);
  }

  /** Onto the subjects: gradient (ln10 per unit of r), the pair weights, the cross blocks, the feature blocks. */
  spread(pairs: PairIndex, n: number, gradient: Float64Array, hessian: Blocks, meat: Blocks | null): void {
    for (let q = 0; q < pairs.low.length; q++) {
      const i = pairs.low[q] as number;
      const j = pairs.high[q] as number;
      const g = LN10 * (this.gradient[q] as number);
      gradient[i] = (gradient[i] as number) + g;
      gradient[j] = (gradient[j] as number) - g;
      hessian.pair[q] = this.weight[q] as number;
      if (meat) meat.pair[q] = this.meatWeight[q] as number;
      for (let f = 0; f < 4; f++) {
        const c = this.cross[4 * q + f] as number;
        hessian.cross[4 * i + f] = (hessian.cross[4 * i + f] as number) + c;
        hessian.cross[4 * j + f] = (hessian.cross[4 * j + f] as number) - c;
        if (meat) {
          const cm = this.meatCross[4 * q + f] as number;
          meat.cross[4 * i + f] = (meat.cross[4 * i + f] as number) + cm;
          meat.cross[4 * j + f] = (meat.cross[4 * j + f] as number) - cm;
        }
      }
    }
    for (let f = 0; f < 4; f++) gradient[n + f] = this.featureGradient[f] as number;
    for (let f = 0; f < 4; f++) {
      for (let g = 0; g < 4; g++) {
        const at = f <= g ? f * 4 + g : g * 4 + f;
        hessian.features[f * 4 + g] = this.featureBlock[at] as number;
        if (meat) meat.features[f * 4 + g] = this.meatFeatureBlock[at] as number;
      }
    }
  }
}

/** The pass without the meat: returns the loss (unpenalised); fills `sums`. */
function passWithoutMeat(battles: StyleBattles, design: StyleDesign, pairs: PairIndex, theta: Float64Array, sums: PairSums): number {
  const n = battles.subjects.length;
  const x = design.features;
  const { a, b, scoreA, weight } = battles;
  const { rowPair, rowSign } = pairs;
  const { gradient: pairGradient, weight: pairWeight, cross } = sums;
  const b0 = theta[n] as number;
  const b1 = theta[n + 1] as number;
  const b2 = theta[n + 2] as number;
  const b3 = theta[n + 3] as number;
  let loss = 0;
  let g0 = 0, g1 = 0, g2 = 0, g3 = 0;
  let h00 = 0, h01 = 0, h02 = 0, h03 = 0, h11 = 0, h12 = 0, h13 = 0, h22 = 0, h23 = 0, h33 = 0;
  for (let k = 0; k < a.length; k++) {
    const w = weight ? (weight[k] as number) : 1;
    const y = scoreA[k] as number;
    const x0 = x[4 * k] as number;
    const x1 = x[4 * k + 1] as number;
    const x2 = x[4 * k + 2] as number;
    const x3 = x[4 * k + 3] as number;
    const z = LN10 * ((theta[a[k] as number] as number) - (theta[b[k] as number] as number)) + x0 * b0 + x1 * b1 + x2 * b2 + x3 * b3;
    const e = Math.exp(-Math.abs(z));
    const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    loss += w * ((z > 0 ? z : 0) + Math.log1p(e) - y * z);
    const g = -w * (y - p);
    const q = rowPair[k] as number;
    const sign = rowSign[k] as number;
    pairGradient[q] = (pairGradient[q] as number) + sign * g;
    g0 += g * x0;
    g1 += g * x1;
    g2 += g * x2;
    g3 += g * x3;
    const h = w * p * (1 - p);
    pairWeight[q] = (pairWeight[q] as number) + h;
    const c0 = h * x0;
    const c1 = h * x1;
    const c2 = h * x2;
    const c3 = h * x3;
    cross[4 * q] = (cross[4 * q] as number) + sign * c0;
    cross[4 * q + 1] = (cross[4 * q + 1] as number) + sign * c1;
    cross[4 * q + 2] = (cross[4 * q + 2] as number) + sign * c2;
    cross[4 * q + 3] = (cross[4 * q + 3] as number) + sign * c3;
    h00 += c0 * x0;
    h01 += c0 * x1;
    h02 += c0 * x2;
    h03 += c0 * x3;
    h11 += c1 * x1;
    h12 += c1 * x2;
    h13 += c1 * x3;
    h22 += c2 * x2;
    h23 += c2 * x3;
    h33 += c3 * x3;
  }
  sums.featureGradient.set([g0, g1, g2, g3]);
  sums.featureBlock.set([h00, h01, h02, h03, 0, h11, h12, h13, 0, 0, h22, h23, 0, 0, 0, h33]);
  return loss;
}

/** The pass with the meat (w identical battles: w outer products of the same score); returns the loss. */
function passWithMeat(battles: StyleBattles, design: StyleDesign, pairs: PairIndex, theta: Float64Array, sums: PairSums): number {
  const n = battles.subjects.length;
  const x = design.features;
  const { a, b, scoreA, weight } = battles;
  const { rowPair, rowSign } = pairs;
  const { gradient: pairGradient, weight: pairWeight, cross, meatWeight, meatCross } = sums;
  const b0 = theta[n] as number;
  const b1 = theta[n + 1] as number;
  const b2 = theta[n + 2] as number;
  const b3 = theta[n + 3] as number;
  let loss = 0;
  let g0 = 0, g1 = 0, g2 = 0, g3 = 0;
  let h00 = 0, h01 = 0, h02 = 0, h03 = 0, h11 = 0, h12 = 0, h13 = 0, h22 = 0, h23 = 0, h33 = 0;
  let m00 = 0, m01 = 0, m02 = 0, m03 = 0, m11 = 0, m12 = 0, m13 = 0, m22 = 0, m23 = 0, m33 = 0;
  for (let k = 0; k < a.length; k++) {
    const w = weight ? (weight[k] as number) : 1;
    const y = scoreA[k] as number;
    const x0 = x[4 * k] as number;
    const x1 = x[4 * k + 1] as number;
    const x2 = x[4 * k + 2] as number;
    const x3 = x[4 * k + 3] as number;
    const z = LN10 * ((theta[a[k] as number] as number) - (theta[b[k] as number] as number)) + x0 * b0 + x1 * b1 + x2 * b2 + x3 * b3;
    const e = Math.exp(-Math.abs(z));
    const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    loss += w * ((z > 0 ? z : 0) + Math.log1p(e) - y * z);
    const residual = y - p;
    const g = -w * residual;
    const q = rowPair[k] as number;
    const sign = rowSign[k] as number;
    pairGradient[q] = (pairGradient[q] as number) + sign * g;
    g0 += g * x0;
    g1 += g * x1;
    g2 += g * x2;
    g3 += g * x3;
    const h = w * p * (1 - p);
    pairWeight[q] = (pairWeight[q] as number) + h;
    const c0 = h * x0;
    const c1 = h * x1;
    const c2 = h * x2;
    const c3 = h * x3;
    cross[4 * q] = (cross[4 * q] as number) + sign * c0;
    cross[4 * q + 1] = (cross[4 * q + 1] as number) + sign * c1;
    cross[4 * q + 2] = (cross[4 * q + 2] as number) + sign * c2;
    cross[4 * q + 3] = (cross[4 * q + 3] as number) + sign * c3;
    h00 += c0 * x0;
    h01 += c0 * x1;
    h02 += c0 * x2;
    h03 += c0 * x3;
    h11 += c1 * x1;
    h12 += c1 * x2;
    h13 += c1 * x3;
    h22 += c2 * x2;
    h23 += c2 * x3;
    h33 += c3 * x3;
    const s = w * residual * residual;
    meatWeight[q] = (meatWeight[q] as number) + s;
    const d0 = s * x0;
    const d1 = s * x1;
    const d2 = s * x2;
    const d3 = s * x3;
    meatCross[4 * q] = (meatCross[4 * q] as number) + sign * d0;
    meatCross[4 * q + 1] = (meatCross[4 * q + 1] as number) + sign * d1;
    meatCross[4 * q + 2] = (meatCross[4 * q + 2] as number) + sign * d2;
    meatCross[4 * q + 3] = (meatCross[4 * q + 3] as number) + sign * d3;
    m00 += d0 * x0;
    m01 += d0 * x1;
    m02 += d0 * x2;
    m03 += d0 * x3;
    m11 += d1 * x1;
    m12 += d1 * x2;
    m13 += d1 * x3;
    m22 += d2 * x2;
    m23 += d2 * x3;
    m33 += d3 * x3;
  }
  sums.featureGradient.set([g0, g1, g2, g3]);
  sums.featureBlock.set([h00, h01, h02, h03, 0, h11, h12, h13, 0, 0, h22, h23, 0, 0, 0, h33]);
  sums.meatFeatureBlock.set([m00, m01, m02, m03, 0, m11, m12, m13, 0, 0, m22, m23, 0, 0, 0, m33]);
  return loss;
}
