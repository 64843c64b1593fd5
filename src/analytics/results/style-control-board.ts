/** The style-controlled board beside the raw one: ratings on the Arena scale, coefficients, intervals, rank moves. */
import { contrastStandardErrors, Z_95 } from "./bt-sandwich.ts";
import { ranksFromIntervals } from "./quantile.ts";
import { STYLE_FEATURE_DESCRIPTIONS, STYLE_FEATURES } from "./style-features.ts";
import type { StyleFeature } from "./style-features.ts";
import { runBradleyTerry } from "./bt-rule.ts";
import type { Anchor } from "./bt-rule.ts";
import { fitStyleControl, styleDesign, STYLE_CONTROL_ASSUMPTION } from "./style-control.ts";
import type { RankMove, StyleBattles, StyleCoefficient, StyleControlResult, StyleDesign, StyleFit } from "./style-control.ts";
import { ResultsError } from "./types.ts";
import type { BtIntervalMethod, PairRow, RuleResult, SubjectResult } from "./types.ts";

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
      method: "penalised maximum likelihood (L2, λ/2·‖(r, β)‖², λ = 0.5), Newton with step halving, until a step moves no parameter by 1e-7",
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
    points: (400 * estimate) / Math.LN10,
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
