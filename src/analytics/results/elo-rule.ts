/** The Elo rule: input order when the data has one, spread over seeded random orders as bounds. */
import { createRng, shuffleInPlace, shuffleInt32InPlace } from "../rng.ts";
import { ELO_DEFAULTS, eloOrderSpread, onlineElo, packedElo, packJudgment, packSequence } from "./elo.ts";
import type { ComparisonSequence, PackedJudgments } from "./elo.ts";
import { comparisonScore } from "./pairs.ts";
import { baseResult, ruleContext, scoredSubjects } from "./rule-result.ts";
import type { RuleContext } from "./rule-result.ts";
import type { Anchor } from "./bt-rule.ts";
import { ResultsError } from "./types.ts";
import type { ResultsInput, RuleResult } from "./types.ts";

export const ELO_ASSUMPTION =
  "Recency and order matter: each judgment moves ratings by K times the surprise, so later judgments weigh more and another order gives other ratings.";

export interface EloRuleOptions {
  readonly anchor?: Anchor;
  readonly permutations: number;
  readonly seed: number;
}

export function runElo(input: ResultsInput, options: EloRuleOptions): RuleResult {
  const context = ruleContext(input);
  const ordered = (input.sequence?.a.length ?? 0) > 0 || (input.comparisons?.length ?? 0) > 0;
  const judgments = input.sequence?.a.length ? input.sequence : ordered ? sequenceFromComparisons(input) : judgmentsFromPairs(context, options.seed);
  const anchorIndex = options.anchor ? input.subjects.indexOf(options.anchor.name) : -1;
  if (options.anchor && (anchorIndex < 0 || !context.judged[anchorIndex])) {
    throw new ResultsError("unknown_anchor", `the anchor "${options.anchor.name}" names no judged subject`);
  }
  const shift = (ratings: Float64Array): Float64Array => {
    const offset = options.anchor ? options.anchor.value - (ratings[anchorIndex] ?? 0) : 0;
    return ratings.map((value) => value + offset);
  };
  const n = input.subjects.length;
  // packed once for the replay in order and every random order (the same arithmetic as the sequence, step for step)
  const words = "words" in judgments ? judgments.words : packSequence(judgments);
  const replayed = words ? { words } : (judgments as ComparisonSequence);
  const ratings = shift("words" in replayed ? packedElo(n, replayed.words) : onlineElo(n, replayed));
  const spread = eloOrderSpread(n, replayed, { permutations: options.permutations, seed: options.seed, adjust: shift });
  const warnings = ordered ? context.warnings : [...context.warnings, "the data keeps no judgment order: Elo used a seeded random order"];
  return {
    rule: "elo",
    parameters: {
      k: ELO_DEFAULTS.k,
      base: ELO_DEFAULTS.base,
      scale: ELO_DEFAULTS.scale,
      initial: ELO_DEFAULTS.initial,
      tie: 0.5,
      order: ordered ? "as judged" : `seeded random order (seed ${options.seed})`,
      anchor: options.anchor ? `${options.anchor.name}=${options.anchor.value}` : null,
      bounds: `2.5 and 97.5 percentiles over ${options.permutations} random orders (order dependence, not sampling error)`,
      permutations: options.permutations,
      seed: options.seed,
    },
    assumption: ELO_ASSUMPTION,
    ...baseResult(context),
    warnings,
    subjects: scoredSubjects(context, ratings, options.permutations > 0 ? { lower: spread.lower, upper: spread.upper } : undefined),
  };
}

function sequenceFromComparisons(input: ResultsInput): ComparisonSequence {
  const usable = (input.comparisons ?? []).filter((c) => c.a !== c.b);
  return {
    a: Int32Array.from(usable, (c) => c.a),
    b: Int32Array.from(usable, (c) => c.b),
    scoreA: Float64Array.from(usable, comparisonScore),
  };
}

const PAIR_ORDER_SALT = 0x5bd1e995;

/** Count rows as single judgments in a seeded random order: packed, or as a sequence when they do not pack. */
function judgmentsFromPairs(context: RuleContext, seed: number): ComparisonSequence | PackedJudgments {
  const words = packedFromPairs(context);
  // the same permutation as sequenceFromPairs: the same draws, applied to the words instead of an index
  if (words) return { words: shuffleInt32InPlace(createRng(seed ^ PAIR_ORDER_SALT), words) };
  return sequenceFromPairs(context, seed);
}

/** Each row's wins, losses and ties as packed words in row order, or null when a subject index does not fit. */
function packedFromPairs(context: RuleContext): Int32Array | null {
  const words = new Int32Array(context.judgments);
  let k = 0;
  for (const row of context.rows) {
    const outcomes: [number, number][] = [[row.winsA, 1], [row.winsB, 0], [row.ties + row.bothBad, 0.5]];
    for (const [count, score] of outcomes) {
      const word = packJudgment(row.a, row.b, score);
      if (word === null) return null;
      words.fill(word, k, k + count);
      k += count;
    }
  }
  return words;
}

/** Expands count rows into single judgments, shuffled with the seed. */
function sequenceFromPairs(context: RuleContext, seed: number): ComparisonSequence {
  const total = context.judgments;
  const a = new Int32Array(total);
  const b = new Int32Array(total);
  const scoreA = new Float64Array(total);
  let k = 0;
  for (const row of context.rows) {
    const outcomes: [number, number][] = [[row.winsA, 1], [row.winsB, 0], [row.ties + row.bothBad, 0.5]];
    for (const [count, score] of outcomes) {
      a.fill(row.a, k, k + count);
      b.fill(row.b, k, k + count);
      scoreA.fill(score, k, k + count);
      k += count;
    }
  }
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  shuffleInPlace(createRng(seed ^ PAIR_ORDER_SALT), order);
  // plain loops: a mapping callback per judgment costs more than the gather itself at 1.67 M judgments
  const shuffled = { a: new Int32Array(total), b: new Int32Array(total), scoreA: new Float64Array(total) };
  for (let k = 0; k < total; k++) {
    const i = order[k] as number;
    shuffled.a[k] = a[i] as number;
    shuffled.b[k] = b[i] as number;
    shuffled.scoreA[k] = scoreA[i] as number;
  }
  return shuffled;
}

export { ELO_DEFAULTS };
