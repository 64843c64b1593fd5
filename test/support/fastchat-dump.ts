/**
 * Synthetic FastChat battle records in the shape of Arena's public dumps (conv_metadata with the style
 * counts as Arena stores them: header_count_a = {h1..h6}, list_count_a = {ordered, unordered},
 * bold_count_a = {"**", "__"}), drawn from a known model: true strengths plus a preference for the longer
 * response, so tests know what style control must find.
 */
import { createRng, type Rng } from "../../src/analytics/rng.ts";

export interface DumpModel {
  readonly name: string;
  /** true strength, log10 units */
  readonly strength: number;
  /** typical answer length in tokens */
  readonly length: number;
}

export interface DumpOptions {
  readonly models: readonly DumpModel[];
  readonly battles: number;
  readonly seed: number;
  /** logit added per unit of (len_a − len_b)/(len_a + len_b + 1) */
  readonly lengthEffect: number;
  /** share of ties (half of them "tie (bothbad)") */
  readonly ties?: number;
  /** the other metadata fields a real dump carries (category tags, dedup tags, …) */
  readonly realisticFields?: boolean;
}

function lengthOf(rng: Rng, typical: number): number {
  return Math.max(1, Math.round(typical * Math.exp(0.4 * (rng.next() + rng.next() + rng.next() - 1.5))));
}

/** Markdown counts drawn independently of length (so that, in these dumps, only length matters to judges). */
function markdown(rng: Rng) {
  const count = () => Math.floor(rng.next() * 3);
  return {
    headers: { h1: 0, h2: count(), h3: count(), h4: 0, h5: 0, h6: 0 },
    lists: { ordered: count(), unordered: count() },
    bold: { "**": count(), __: 0 },
  };
}

/** One battle record per call, in a fixed order for a seed. */
export function* fastchatBattles(options: DumpOptions): Generator<Record<string, unknown>> {
  const rng = createRng(options.seed);
  const { models } = options;
  const ties = options.ties ?? 0.1;
  for (let k = 0; k < options.battles; k++) {
    const i = Math.floor(rng.next() * models.length);
    let j = Math.floor(rng.next() * (models.length - 1));
    if (j >= i) j += 1;
    const a = models[i] as DumpModel;
    const b = models[j] as DumpModel;
    const lengthA = lengthOf(rng, a.length);
    const lengthB = lengthOf(rng, b.length);
    const logit = Math.LN10 * (a.strength - b.strength) + (options.lengthEffect * (lengthA - lengthB)) / (lengthA + lengthB + 1);
    const u = rng.next();
    const winner = u < ties / 2 ? "tie" : u < ties ? "tie (bothbad)" : rng.next() < 1 / (1 + Math.exp(-logit)) ? "model_a" : "model_b";
    const styleA = markdown(rng);
    const styleB = markdown(rng);
    yield {
      question_id: `q${k}`,
      model_a: a.name,
      model_b: b.name,
      winner,
      judge: `arena_user_${k % 5000}`,
      turn: 1,
      anony: true,
      language: "English",
      tstamp: 1_700_000_000 + k,
      conv_metadata: {
        sum_user_tokens: 40,
        sum_assistant_a_tokens: lengthA,
        sum_assistant_b_tokens: lengthB,
        context_a_tokens: 40,
        context_b_tokens: 40,
        turns: 1,
        header_count_a: styleA.headers,
        list_count_a: styleA.lists,
        bold_count_a: styleA.bold,
        header_count_b: styleB.headers,
        list_count_b: styleB.lists,
        bold_count_b: styleB.bold,
      },
      is_code: false,
      is_refusal: false,
      ...(options.realisticFields ? realisticFields(k) : {}),
    };
  }
}

/** Fields of Arena's 2024 dumps that a reader must step over: nested tags and a long-ish string. */
function realisticFields(k: number): Record<string, unknown> {
  return {
    dedup_tag: { high_freq: false, sampled: true },
    category_tag: {
      criteria_v0_1: { specificity: k % 2 === 0, domain_knowledge: true, complexity: false, problem_solving: k % 3 === 0, creativity: false, technical_accuracy: true, real_world: true },
      if_v0_1: { if: false, score: 1 },
      math_v0_1: { math: false },
      creative_writing_v0_1: { creative_writing: false, score: "no" },
    },
    conv_summary: `A user asks about topic ${k} and both assistants answer "at length" with lists, headers and examples; the judge's choice is recorded.`,
  };
}
