/**
 * Style control (Chatbot Arena's current method): Bradley–Terry with covariates. For each battle the
 * normalised differences (a − b)/(a + b + 1) of the two responses' length and Markdown counts, z-scored over
 * the battles, enter the logit beside the strengths:
 *
 *   P(a beats b) = σ(ln10·(r_a − r_b) + Σ_f β_f·x_f),   ties and both_bad half a win,
 *
 * fitted jointly by penalised maximum likelihood (L2, λ/2·‖(r, β)‖² with λ = 0.5, as Arena's code) with
 * Newton's method (exact Hessian, Cholesky, step halving when the loss would rise). Intervals are sandwich
 * (H⁻¹BH⁻¹, B the sum of per-battle score outer products), for the strengths and the coefficients alike.
 * The strengths are what a subject would score were both responses alike in style.
 */
import { choleskyInPlace, choleskySolve } from "./linalg.ts";
import { contrastStandardErrors, Z_95 } from "./bt-sandwich.ts";
import { ranksFromIntervals } from "./quantile.ts";
import { STYLE_FEATURE_DESCRIPTIONS, STYLE_FEATURES } from "./style-features.ts";
import type { StyleFeature } from "./style-features.ts";
import { runBradleyTerry } from "./bt-rule.ts";
import type { Anchor } from "./bt-rule.ts";
import { ResultsError } from "./types.ts";
import type { BtIntervalMethod, PairRow, ParameterValue, RuleResult, SubjectResult } from "./types.ts";

const LN10 = Math.LN10;
export const STYLE_PENALTY = 0.5;

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

export interface StyleCoefficient {
  readonly feature: StyleFeature;
  readonly description: string;
  /** logit change per standard deviation of the normalised difference */
  readonly estimate: number;
  readonly standardError: number;
  readonly lower: number;
  readonly upper: number;
  /** the same on the rating scale: 400·β/ln10 points */
  readonly points: number;
}

export interface RankMove {
  readonly name: string;
  readonly rawPosition: number;
  readonly controlledPosition: number;
  readonly rawRank: number;
  readonly controlledRank: number;
}

export interface StyleControlResult {
  readonly rule: "bt-style-control";
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly assumption: string;
  readonly used: number;
  readonly warnings: readonly string[];
  readonly coefficients: readonly StyleCoefficient[];
  /** the controlled board, best first */
  readonly subjects: readonly SubjectResult[];
  /** the plain Bradley–Terry board of the same battles */
  readonly raw: RuleResult;
  /** subjects whose position by score differs between the two boards, largest move first */
  readonly moves: readonly RankMove[];
}

export const STYLE_CONTROL_ASSUMPTION =
  "Bradley–Terry's, plus: how much a judge prefers the longer or more formatted response is the same for every pair, and adds to the logit; the controlled board is the order were both responses alike in style.";

/** The design: per row, the z-scored normalised differences (row-major, m per row), and which features vary. */
export interface StyleDesign {
  readonly features: Float64Array;
  readonly m: number;
  readonly varies: readonly boolean[];
  readonly means: readonly number[];
  readonly deviations: readonly number[];
}

export function styleDesign(battles: StyleBattles): StyleDesign {
  const rows = battles.a.length;
  const m = STYLE_FEATURES.length;
  const features = new Float64Array(rows * m);
  const means: number[] = [];
  const deviations: number[] = [];
  const varies: boolean[] = [];
  let totalWeight = 0;
  for (let k = 0; k < rows; k++) totalWeight += battles.weight?.[k] ?? 1;
  for (let f = 0; f < m; f++) {
    const sideA = battles.styleA[f];
    const sideB = battles.styleB[f];
    if (!sideA || !sideB || sideA.length !== rows || sideB.length !== rows) throw new ResultsError("invalid_input", `style feature ${STYLE_FEATURES[f]} needs one count per battle for each side`);
    let sum = 0;
    for (let k = 0; k < rows; k++) {
      const x = sideA[k] as number;
      const y = sideB[k] as number;
      const d = (x - y) / (x + y + 1);
      features[k * m + f] = d;
      sum += (battles.weight?.[k] ?? 1) * d;
    }
    const mean = sum / totalWeight;
    let squares = 0;
    for (let k = 0; k < rows; k++) squares += (battles.weight?.[k] ?? 1) * ((features[k * m + f] as number) - mean) ** 2;
    const deviation = Math.sqrt(squares / totalWeight);
    const usable = deviation > 1e-12;
    for (let k = 0; k < rows; k++) features[k * m + f] = usable ? ((features[k * m + f] as number) - mean) / deviation : 0;
    means.push(mean);
    deviations.push(deviation);
    varies.push(usable);
  }
  return { features, m, varies, means, deviations };
}

interface Pass {
  loss: number;
  gradient: Float64Array;
  hessian: Float64Array;
  meat: Float64Array | null;
}

/** One pass over the battles: penalised loss, gradient, Hessian and (optionally) the sandwich's meat at θ = (r, β). */
function accumulate(battles: StyleBattles, design: StyleDesign, theta: Float64Array, withMeat: boolean): Pass {
  const n = battles.subjects.length;
  const { m, features } = design;
  const d = n + m;
  const gradient = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  const meat = withMeat ? new Float64Array(d * d) : null;
  const { a, b, scoreA, weight } = battles;
  let loss = 0;
  const x = new Float64Array(m);
  for (let k = 0; k < a.length; k++) {
    const i = a[k] as number;
    const j = b[k] as number;
    const w = weight ? (weight[k] as number) : 1;
    const y = scoreA[k] as number;
    let z = LN10 * ((theta[i] as number) - (theta[j] as number));
    for (let f = 0; f < m; f++) {
      x[f] = features[k * m + f] as number;
      z += (x[f] as number) * (theta[n + f] as number);
    }
    const e = Math.exp(-Math.abs(z));
    const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    loss += w * (Math.max(z, 0) + Math.log1p(e) - y * z);
    const residual = y - p;
    addScore(gradient, hessian, n, m, i, j, x, -w * residual, w * p * (1 - p));
    // w identical battles: w outer products of the same score
    if (meat) addScore(null, meat, n, m, i, j, x, 0, w * residual * residual);
  }
  mirrorLower(hessian, d);
  if (meat) mirrorLower(meat, d);
  let penalty = 0;
  for (let q = 0; q < d; q++) {
    penalty += (theta[q] as number) ** 2;
    gradient[q] = (gradient[q] as number) + STYLE_PENALTY * (theta[q] as number);
    hessian[q * d + q] = (hessian[q * d + q] as number) + STYLE_PENALTY;
  }
  return { loss: loss + 0.5 * STYLE_PENALTY * penalty, gradient, hessian, meat };
}

/**
 * Adds one battle's gradient (coefficient g on its score direction u = (ln10·(e_i − e_j), x)) and its
 * weight h on u·uᵀ to the upper triangle of `matrix` (rows i and j, and the coefficient block).
 */
function addScore(gradient: Float64Array | null, matrix: Float64Array, n: number, m: number, i: number, j: number, x: Float64Array, g: number, h: number): void {
  const d = n + m;
  if (gradient) {
    gradient[i] = (gradient[i] as number) + LN10 * g;
    gradient[j] = (gradient[j] as number) - LN10 * g;
    for (let f = 0; f < m; f++) gradient[n + f] = (gradient[n + f] as number) + g * (x[f] as number);
  }
  const hh = LN10 * LN10 * h;
  const low = i < j ? i : j;
  const high = i < j ? j : i;
  matrix[i * d + i] = (matrix[i * d + i] as number) + hh;
  matrix[j * d + j] = (matrix[j * d + j] as number) + hh;
  matrix[low * d + high] = (matrix[low * d + high] as number) - hh;
  for (let f = 0; f < m; f++) {
    const cross = LN10 * h * (x[f] as number);
    matrix[i * d + n + f] = (matrix[i * d + n + f] as number) + cross;
    matrix[j * d + n + f] = (matrix[j * d + n + f] as number) - cross;
    for (let g2 = f; g2 < m; g2++) matrix[(n + f) * d + n + g2] = (matrix[(n + f) * d + n + g2] as number) + h * (x[f] as number) * (x[g2] as number);
  }
}

function mirrorLower(matrix: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) matrix[j * d + i] = matrix[i * d + j] as number;
}

export interface StyleFit {
  /** strengths (log10 units, mean 0 by the penalty) then the coefficients */
  readonly theta: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** sandwich covariance of θ, row-major (n + m)²; null when the Hessian is not positive definite */
  readonly covariance: Float64Array | null;
}

export interface StyleFitOptions {
  /** starting strengths (e.g. the plain Bradley–Terry MLE), log10 units */
  readonly start?: Float64Array;
  readonly tolerance?: number;
  readonly maxIterations?: number;
}

export function fitStyleControl(battles: StyleBattles, design: StyleDesign, options: StyleFitOptions = {}): StyleFit {
  const n = battles.subjects.length;
  const d = n + design.m;
  const tolerance = options.tolerance ?? 1e-9;
  const maxIterations = options.maxIterations ?? 50;
  const theta = new Float64Array(d);
  if (options.start) theta.set(options.start.subarray(0, n));
  let pass = accumulate(battles, design, theta, false);
  const step = new Float64Array(d);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (!choleskyInPlace(pass.hessian, d)) return { theta, iterations: iteration, converged: false, covariance: null };
    choleskySolve(pass.hessian, d, pass.gradient, step);
    let scale = 1;
    let trial = theta;
    let next = pass;
    for (let halving = 0; halving < 30; halving++, scale /= 2) {
      trial = theta.map((value, q) => value - scale * (step[q] as number));
      next = accumulate(battles, design, trial, false);
      if (next.loss <= pass.loss + 1e-12 * Math.abs(pass.loss)) break;
    }
    theta.set(trial);
    pass = next;
    let largest = 0;
    for (const value of step) largest = Math.max(largest, Math.abs(value * scale));
    if (largest < tolerance) return { theta, iterations: iteration, converged: true, covariance: sandwich(battles, design, theta) };
  }
  return { theta, iterations: maxIterations, converged: false, covariance: sandwich(battles, design, theta) };
}

/** V = H⁻¹BH⁻¹ at θ. */
function sandwich(battles: StyleBattles, design: StyleDesign, theta: Float64Array): Float64Array | null {
  const d = battles.subjects.length + design.m;
  const { hessian, meat } = accumulate(battles, design, theta, true);
  if (!meat || !choleskyInPlace(hessian, d)) return null;
  const inverse = new Float64Array(d * d);
  const unit = new Float64Array(d);
  const column = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    unit.fill(0);
    unit[c] = 1;
    choleskySolve(hessian, d, unit, column);
    for (let i = 0; i < d; i++) inverse[i * d + c] = column[i] as number;
  }
  return multiply(multiply(inverse, meat, d), inverse, d);
}

function multiply(left: Float64Array, right: Float64Array, d: number): Float64Array {
  const product = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const value = left[i * d + k] as number;
      if (value === 0) continue;
      for (let j = 0; j < d; j++) product[i * d + j] = (product[i * d + j] as number) + value * (right[k * d + j] as number);
    }
  }
  return product;
}

export interface StyleControlOptions {
  readonly anchor?: Anchor;
  /** the plain Bradley–Terry board of the same battles, shown beside and compared with */
  readonly raw: RuleResult;
  readonly start?: Float64Array;
}

/** The controlled board with its coefficients, beside the raw board, and the ranks that move. */
export function runStyleControl(battles: StyleBattles, options: StyleControlOptions): StyleControlResult {
  const n = battles.subjects.length;
  if (n < 2) throw new ResultsError("single_subject", `a result needs at least two subjects; got ${n}`);
  if (battles.a.length === 0) throw new ResultsError("no_judgments", "there are no battles to fit style control on");
  const design = styleDesign(battles);
  const fit = fitStyleControl(battles, design, options.start ? { start: options.start } : {});
  const judged = judgedMask(battles);
  const anchorLocal = options.anchor ? battles.subjects.indexOf(options.anchor.name) : -1;
  if (options.anchor && (anchorLocal < 0 || !judged[anchorLocal])) throw new ResultsError("unknown_anchor", `the anchor "${options.anchor.name}" has no battles`);
  const ratings = Array.from(fit.theta.subarray(0, n), (r) => 400 * r + 1000);
  const shift = options.anchor && anchorLocal >= 0 ? options.anchor.value - (ratings[anchorLocal] as number) : 0;
  const shifted = ratings.map((value) => value + shift);
  const errors = fit.covariance ? contrastStandardErrors(strengthBlock(fit.covariance, n, design.m), n, anchorLocal) : null;
  const subjects = boardOf(battles.subjects, shifted, errors, judged);
  const coefficients = STYLE_FEATURES.map((feature, f) => coefficient(feature, fit, n, design.m, f));
  const warnings = styleWarnings(battles, design, fit, judged);
  return {
    rule: "bt-style-control",
    parameters: {
      method: "penalised maximum likelihood (L2, λ/2·‖(r, β)‖², λ = 0.5), Newton with step halving, converged to 1e-9",
      features: STYLE_FEATURES.map((feature) => `${feature} (${STYLE_FEATURE_DESCRIPTIONS[feature]})`).join("; "),
      normalisation: "(a − b)/(a + b + 1), z-scored over the battles",
      ties: "half a win to each side (tie and both_bad)",
      scale: "R = 400·r + 1000",
      anchor: options.anchor ? `${options.anchor.name}=${options.anchor.value}` : "mean 1000",
      intervals: "sandwich: V = H⁻¹BH⁻¹ (H the penalised Hessian, B the sum of per-battle score outer products); estimate ± 1.959964·SE",
      iterations: fit.iterations,
      rank: "1 + number of subjects whose lower bound is above this one's upper bound",
    },
    assumption: STYLE_CONTROL_ASSUMPTION,
    used: totalWeight(battles),
    warnings,
    coefficients,
    subjects,
    raw: options.raw,
    moves: rankMoves(options.raw.subjects, subjects),
  };
}

function totalWeight(battles: StyleBattles): number {
  let total = 0;
  for (let k = 0; k < battles.a.length; k++) total += battles.weight?.[k] ?? 1;
  return total;
}

function judgedMask(battles: StyleBattles): boolean[] {
  const judged = new Array<boolean>(battles.subjects.length).fill(false);
  for (let k = 0; k < battles.a.length; k++) judged[battles.a[k] as number] = judged[battles.b[k] as number] = true;
  return judged;
}

function strengthBlock(covariance: Float64Array, n: number, m: number): Float64Array {
  const d = n + m;
  const block = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) block[i * n + j] = covariance[i * d + j] as number;
  return block;
}

function boardOf(names: readonly string[], ratings: readonly number[], errors: Float64Array | null, judged: readonly boolean[]): SubjectResult[] {
  const kept = names.flatMap((name, i) => (judged[i] ? [i] : []));
  const lower = kept.map((i) => (errors ? (ratings[i] as number) - Z_95 * 400 * (errors[i] as number) : (ratings[i] as number)));
  const upper = kept.map((i) => (errors ? (ratings[i] as number) + Z_95 * 400 * (errors[i] as number) : (ratings[i] as number)));
  const ranks = ranksFromIntervals(lower, upper);
  return kept
    .map((i, k) => ({ name: names[i] ?? "", score: ratings[i] as number, lower: errors ? (lower[k] as number) : null, upper: errors ? (upper[k] as number) : null, rank: ranks[k] ?? 1 }))
    .sort((x, y) => x.rank - y.rank || y.score - x.score || (x.name < y.name ? -1 : 1));
}

function coefficient(feature: StyleFeature, fit: StyleFit, n: number, m: number, f: number): StyleCoefficient {
  const d = n + m;
  const estimate = fit.theta[n + f] as number;
  const standardError = fit.covariance ? Math.sqrt(Math.max(fit.covariance[(n + f) * d + n + f] as number, 0)) : NaN;
  return {
    feature,
    description: STYLE_FEATURE_DESCRIPTIONS[feature],
    estimate,
    standardError,
    lower: estimate - Z_95 * standardError,
    upper: estimate + Z_95 * standardError,
    points: (400 * estimate) / LN10,
  };
}

function styleWarnings(battles: StyleBattles, design: StyleDesign, fit: StyleFit, judged: readonly boolean[]): string[] {
  const warnings: string[] = [];
  design.varies.forEach((varies, f) => {
    if (!varies) warnings.push(`${STYLE_FEATURES[f]} is the same on both sides of every battle, so its coefficient is 0 (not estimated)`);
  });
  if (!fit.converged) warnings.push(`the fit did not converge in ${fit.iterations} Newton steps`);
  if (!fit.covariance) warnings.push("no intervals: the Hessian is not positive definite at the fit");
  const components = connectedGroups(battles, judged);
  if (components > 1) warnings.push(`the battles do not connect every subject (${components} groups); only the penalty places the groups against each other`);
  return warnings;
}

/** How many connected groups the battles make among judged subjects (union–find over the rows). */
function connectedGroups(battles: StyleBattles, judged: readonly boolean[]): number {
  const parent = Int32Array.from({ length: battles.subjects.length }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x] as number] as number;
    return x;
  };
  for (let k = 0; k < battles.a.length; k++) parent[find(battles.a[k] as number)] = find(battles.b[k] as number);
  return judged.filter((isJudged, i) => isJudged && find(i) === i).length;
}

/** Positions (1-based, by score) on both boards; the subjects whose position changes, largest move first. */
export function rankMoves(raw: readonly SubjectResult[], controlled: readonly SubjectResult[]): RankMove[] {
  const byScore = (board: readonly SubjectResult[]) => new Map([...board].sort((x, y) => y.score - x.score || (x.name < y.name ? -1 : 1)).map((s, k) => [s.name, { position: k + 1, rank: s.rank }]));
  const before = byScore(raw);
  const after = byScore(controlled);
  return [...after]
    .flatMap(([name, now]) => {
      const then = before.get(name);
      return then && then.position !== now.position ? [{ name, rawPosition: then.position, controlledPosition: now.position, rawRank: then.rank, controlledRank: now.rank }] : [];
    })
    .sort((x, y) => Math.abs(y.rawPosition - y.controlledPosition) - Math.abs(x.rawPosition - x.controlledPosition) || x.controlledPosition - y.controlledPosition);
}

export interface StyleBoardOptions {
  readonly anchor?: Anchor;
  readonly rounds: number;
  readonly seed: number;
  readonly intervals?: BtIntervalMethod;
}

/** Style control with its raw board: plain Bradley–Terry on the same battles (whose MLE starts the fit). */
export function styleControlBoard(battles: StyleBattles, options: StyleBoardOptions): StyleControlResult {
  const raw = runBradleyTerry({ subjects: battles.subjects, pairs: battlePairs(battles) }, { ...(options.anchor ? { anchor: options.anchor } : {}), rounds: options.rounds, seed: options.seed, intervals: options.intervals ?? "bootstrap" });
  const start = new Float64Array(battles.subjects.length);
  const scores = new Map(raw.subjects.map((s) => [s.name, s.score]));
  const mean = raw.subjects.reduce((sum, s) => sum + s.score, 0) / Math.max(raw.subjects.length, 1);
  battles.subjects.forEach((name, i) => (start[i] = ((scores.get(name) ?? mean) - mean) / 400));
  return runStyleControl(battles, { raw, start, ...(options.anchor ? { anchor: options.anchor } : {}) });
}

/** The battles collapsed into pair counts (ties and both_bad alike: half a win each, as both boards count them). */
export function battlePairs(battles: StyleBattles): PairRow[] {
  const rows = new Map<number, { a: number; b: number; winsA: number; winsB: number; ties: number; bothBad: number }>();
  const n = battles.subjects.length;
  for (let k = 0; k < battles.a.length; k++) {
    const first = battles.a[k] as number;
    const second = battles.b[k] as number;
    const flipped = first > second;
    const low = flipped ? second : first;
    const high = flipped ? first : second;
    let row = rows.get(low * n + high);
    if (!row) rows.set(low * n + high, (row = { a: low, b: high, winsA: 0, winsB: 0, ties: 0, bothBad: 0 }));
    const w = battles.weight?.[k] ?? 1;
    const score = battles.scoreA[k] as number;
    if (score === 0.5) row.ties += w;
    else if ((score === 1) !== flipped) row.winsA += w;
    else row.winsB += w;
  }
  return [...rows.values()];
}
