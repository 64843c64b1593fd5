/** The Bradley–Terry rule: components, MLE, anchor, bootstrap or sandwich intervals, ranks. */
import { bootstrapStrengths } from "./bt-bootstrap.ts";
import { fitBradleyTerry, toRating } from "./bt.ts";
import type { BtProblem } from "./bt.ts";
import { sandwichBounds } from "./bt-sandwich.ts";
import type { BtRowOutcomes } from "./bt-sandwich.ts";
import { stronglyConnectedComponents } from "./graph.ts";
import { checkedPairs, judgedSubjects, rowWinShares } from "./pairs.ts";
import { quantileSorted, ranksFromIntervals, ranksFromScores } from "./quantile.ts";

/** Above this share of resamples without a finite MLE, a component gets no intervals (they would be unbounded). */
const MAX_DEGENERATE_SHARE = 0.01;
import { ResultsError } from "./types.ts";
import type { BtIntervalMethod, Exclusion, PairRow, ResultsInput, RuleResult, SubjectResult } from "./types.ts";

export interface Anchor {
  readonly name: string;
  readonly value: number;
}

export interface BtOptions {
  readonly anchor?: Anchor;
  readonly rounds: number;
  readonly seed: number;
  /** default "bootstrap"; "sandwich" ignores rounds and seed */
  readonly intervals?: BtIntervalMethod;
}

export const BT_ASSUMPTION =
  "Each subject has one latent quality; the chance that one beats another depends only on the difference, so preferences are transitive and the same for everyone.";

/** Per component: MLE ratings and 95 % bounds (null when there are none), anchored. */
interface ComponentFit {
  readonly members: readonly number[];
  readonly ratings: Float64Array;
  readonly bounds: readonly (readonly [number, number])[] | null;
  readonly failedRounds: number;
  /** resamples in which some subject never won or never lost, so its rating had no finite estimate */
  readonly degenerateRounds: number;
  readonly rounds: number;
}

/** One component's problem, with the positions of its rows among all rows (for resampling). */
interface ComponentProblem {
  readonly members: readonly number[];
  readonly rowIndices: Int32Array;
  readonly problem: BtProblem;
  readonly outcomes: BtRowOutcomes;
}

export function runBradleyTerry(input: ResultsInput, options: BtOptions): RuleResult {
  const { rows, judgments, excluded } = checkedPairs(input);
  const anchorIndex = resolveAnchor(input.subjects, options.anchor);
  const components = winComponents(input.subjects.length, rows);
  if (anchorIndex !== null && !components.some((c) => c.includes(anchorIndex))) {
    throw new ResultsError("unknown_anchor", `the anchor "${options.anchor?.name}" has no judgments`);
  }
  const fits = fitComponents(components.map((members) => componentProblem(members, rows)), rows, options, anchorIndex);
  const subjects = fits.flatMap((fit) => componentResults(fit, input.subjects));
  const crossRows = rows.filter((row) => componentIndexOf(components, row.a) !== componentIndexOf(components, row.b));
  const crossJudgments = crossRows.reduce((sum, row) => sum + row.winsA + row.winsB + row.ties + row.bothBad, 0);
  const allExcluded: Exclusion[] = [...excluded];
  if (crossJudgments > 0) allExcluded.push({ reason: "between subjects that cannot be placed on one scale", count: crossJudgments });
  return {
    rule: "bt",
    parameters: {
      method: "maximum likelihood, no penalty, Newton",
      ties: "half a win to each side (tie and both_bad)",
      scale: "R = 400·r + 1000",
      anchor: options.anchor ? `${options.anchor.name}=${options.anchor.value}` : "mean 1000",
      ...intervalParameters(options),
      rank: "1 + number of subjects whose lower bound is above this one's upper bound",
    },
    assumption: BT_ASSUMPTION,
    used: judgments - crossJudgments,
    excluded: allExcluded,
    components: components.map((c) => c.map((i) => input.subjects[i] ?? "")),
    warnings: btWarnings(components, fits, input.subjects, options.intervals ?? "bootstrap"),
    subjects: sortResults(subjects),
  };
}

function intervalParameters(options: BtOptions): Record<string, string | number> {
  if (options.intervals === "sandwich") {
    return {
      intervals: "sandwich",
      variance:
        "V = H⁺BH⁺: H the observed information at the MLE, B the sum over judgments of score outer products, sum-to-zero constraint",
      interval: "R ± 1.959964·SE of R relative to the anchor (whose own SE is 0), or to the component mean",
    };
  }
  return {
    intervals: "bootstrap",
    resampling: "multinomial resampling of every judgment across the count rows, percentiles 2.5 and 97.5",
    refit: "from the MLE, Newton steps with the Hessian at the MLE (rescaled to each subject's count in the resample), to within 0.004 rating points",
    rounds: options.rounds,
    seed: options.seed,
  };
}

function resolveAnchor(subjects: readonly string[], anchor: Anchor | undefined): number | null {
  if (!anchor) return null;
  const index = subjects.indexOf(anchor.name);
  if (index < 0) throw new ResultsError("unknown_anchor", `the anchor "${anchor.name}" names no subject`);
  if (!Number.isFinite(anchor.value)) throw new ResultsError("invalid_input", `the anchor value must be a finite number`);
  return index;
}

/** Strongly connected components of the "has won something against" graph among judged subjects. */
export function winComponents(subjectCount: number, rows: readonly PairRow[]): number[][] {
  const successors: number[][] = Array.from({ length: subjectCount }, () => []);
  for (const row of rows) {
    const shares = rowWinShares(row);
    if (shares.a > 0) successors[row.a]?.push(row.b);
    if (shares.b > 0) successors[row.b]?.push(row.a);
  }
  const judged = judgedSubjects(subjectCount, rows);
  return stronglyConnectedComponents(subjectCount, successors).filter((c) => c.some((i) => judged[i]));
}

function componentIndexOf(components: readonly (readonly number[])[], subject: number): number {
  return components.findIndex((c) => c.includes(subject));
}

function componentProblem(members: readonly number[], rows: readonly PairRow[]): ComponentProblem {
  const local = new Map(members.map((subject, i) => [subject, i]));
  const rowIndices = Int32Array.from(rows.flatMap((row, k) => (local.has(row.a) && local.has(row.b) ? [k] : [])));
  const inside = Array.from(rowIndices, (k) => rows[k] as PairRow);
  const problem: BtProblem = {
    n: members.length,
    a: Int32Array.from(inside, (row) => local.get(row.a) ?? 0),
    b: Int32Array.from(inside, (row) => local.get(row.b) ?? 0),
    winsA: Float64Array.from(inside, (row) => rowWinShares(row).a),
    winsB: Float64Array.from(inside, (row) => rowWinShares(row).b),
  };
  const outcomes: BtRowOutcomes = {
    winsA: Float64Array.from(inside, (row) => row.winsA),
    winsB: Float64Array.from(inside, (row) => row.winsB),
    draws: Float64Array.from(inside, (row) => row.ties + row.bothBad),
  };
  return { members, rowIndices, problem, outcomes };
}

function fitComponents(components: readonly ComponentProblem[], rows: readonly PairRow[], options: BtOptions, anchorIndex: number | null): ComponentFit[] {
  const mles = components.map(({ members, problem }) => (members.length > 1 ? fitBradleyTerry(problem).r : new Float64Array(members.length)));
  const sandwich = options.intervals === "sandwich";
  const resampled = bootstrapStrengths(components, rows, mles, sandwich ? { ...options, rounds: 0 } : options);
  return components.map(({ members, problem, outcomes }, k) => {
    const anchorLocal = anchorIndex === null ? -1 : members.indexOf(anchorIndex);
    const anchorValue = options.anchor?.value ?? 1000;
    const mle = mles[k] ?? new Float64Array(members.length);
    const ratings = anchored(mle, anchorLocal, anchorValue);
    const degenerateRounds = members.length > 1 ? (resampled.degenerate[k] ?? 0) : 0;
    const samples = members.length > 1 ? (resampled.samples[k] ?? []) : [];
    const single = members.length < 2;
    const bounds = !sandwich ? bootstrapBounds(samples, anchorLocal, anchorValue, degenerateRounds, options.rounds) : single ? null : sandwichBounds(problem, outcomes, mle, anchorLocal, ratings);
    return { members, ratings, bounds, failedRounds: resampled.failed[k] ?? 0, degenerateRounds, rounds: options.rounds };
  });
}

/** Per subject the 2.5 and 97.5 percentiles of its anchored rating over the samples (strengths, as `anchored` maps them). */
function bootstrapBounds(samples: readonly Float64Array[], anchorLocal: number, anchorValue: number, degenerateRounds: number, rounds: number): [number, number][] | null {
  if (samples.length === 0 || degenerateRounds > MAX_DEGENERATE_SHARE * rounds) return null;
  const n = samples[0]?.length ?? 0;
  const columns = Array.from({ length: n }, () => new Float64Array(samples.length));
  samples.forEach((r, s) => {
    const shift = anchorLocal >= 0 ? anchorValue - toRating(r[anchorLocal] as number) : 0;
    for (let i = 0; i < n; i++) (columns[i] as Float64Array)[s] = toRating(r[i] as number) + shift;
  });
  return columns.map((values) => [selectedQuantile(values, 0.025), selectedQuantile(values, 0.975)]);
}

/**
 * quantileSorted's value without sorting: the two order statistics it reads, by selection (the values are
 * reordered), handed to it in an otherwise empty array-like of the same length.
 */
export function selectedQuantile(values: Float64Array, q: number): number {
  const count = values.length;
  if (count === 0) return NaN;
  const below = Math.floor((count - 1) * q);
  const lower = selectOrder(values, below, 0, count - 1);
  let upper = lower;
  if (below + 1 < count) {
    // the next order statistic is the least of what selection left above `below`
    upper = Infinity;
    for (let i = below + 1; i < count; i++) upper = Math.min(upper, values[i] as number);
  }
  return quantileSorted({ length: count, [below]: lower, [Math.min(below + 1, count - 1)]: upper }, q);
}

/** The k-th smallest of values[from..to] (Hoare's selection, middle pivot), leaving smaller ones before k and larger after. */
function selectOrder(values: Float64Array, k: number, from: number, to: number): number {
  let left = from;
  let right = to;
  while (left < right) {
    const pivot = values[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k] as number;
}

function anchored(r: Float64Array, anchorLocal: number, anchorValue: number): Float64Array {
  const ratings = r.map(toRating);
  const shift = anchorLocal >= 0 ? anchorValue - (ratings[anchorLocal] ?? 0) : 0;
  return ratings.map((value) => value + shift);
}

function componentResults(fit: ComponentFit, names: readonly string[]): SubjectResult[] {
  const bounds = fit.bounds;
  const ranks = bounds ? ranksFromIntervals(bounds.map((b) => b[0]), bounds.map((b) => b[1])) : ranksFromScores(Array.from(fit.ratings));
  return fit.members.map((subject, i) => ({
    name: names[subject] ?? "",
    score: fit.ratings[i] ?? 0,
    lower: bounds ? (bounds[i]?.[0] ?? null) : null,
    upper: bounds ? (bounds[i]?.[1] ?? null) : null,
    rank: ranks[i] ?? 1,
  }));
}

function sortResults(subjects: readonly SubjectResult[]): SubjectResult[] {
  return [...subjects].sort((x, y) => x.rank - y.rank || y.score - x.score || (x.name < y.name ? -1 : 1));
}

function btWarnings(components: readonly (readonly number[])[], fits: readonly ComponentFit[], names: readonly string[], intervals: BtIntervalMethod): string[] {
  const warnings: string[] = [];
  if (components.length > 1) {
    const listed = components.map((c) => `{${c.map((i) => names[i]).join(", ")}}`).join(" ");
    warnings.push(
      `the comparisons do not place every subject on one scale (some are never compared, or one side never wins); ` +
        `fitted separately per component, ratings and ranks are comparable only within a component: ${listed}`,
    );
  }
  if (intervals === "sandwich") {
    fits.forEach((fit) => {
      if (fit.members.length > 1 && fit.bounds === null) {
        warnings.push(`no sandwich intervals for {${fit.members.map((i) => names[i]).join(", ")}}: the information matrix is singular at the fit`);
      }
    });
  }
  const failed = fits.reduce((sum, fit) => sum + fit.failedRounds, 0);
  fits.forEach((fit) => {
    if (fit.degenerateRounds === 0) return;
    const memberNames = fit.members.map((i) => names[i]).join(", ");
    const outcome = fit.degenerateRounds > MAX_DEGENERATE_SHARE * fit.rounds ? "no intervals (they are unbounded) and ranks by rating" : "those rounds left out of the intervals";
    warnings.push(`in ${fit.degenerateRounds} of ${fit.rounds} resamples some of {${memberNames}} never won or never lost, so no finite rating exists: ${outcome}`);
  });
  if (failed > 0) warnings.push(`${failed} bootstrap rounds did not converge (a resample left a subject without wins or losses)`);
  return warnings;
}
