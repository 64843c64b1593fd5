/**
 * The pair counter's collapse onto the rules' subject numbers, in both of its storage modes: dense counts and a
 * typed sum for small evaluations, maps beyond the dense budget (many subjects), each against collapseCounted.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PAIRWISE_OUTCOMES, type PairwiseOutcome } from "../../../src/core/judgment.ts";
import { collapseCounted } from "../../../src/analytics/results/pairs.ts";
import { PairCounter } from "../../../src/modules/results/pair-counter.ts";

function lcg(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

function check(subjects: number, votes: number, seed: number): void {
  const draw = lcg(seed);
  const counter = new PairCounter(subjects);
  const cast: { a: number; b: number; outcome: PairwiseOutcome }[] = [];
  for (let k = 0; k < votes; k++) {
    const a = draw(subjects);
    const b = draw(subjects);
    const outcome = draw(4);
    counter.add(a, b, outcome);
    cast.push({ a, b, outcome: PAIRWISE_OUTCOMES[outcome] as PairwiseOutcome });
  }
  // new numbers: reversed, every seventh subject left out, two subjects merged into one number
  const position = Int32Array.from({ length: subjects }, (_, i) => (i % 7 === 3 ? -1 : subjects - 1 - i));
  position[1] = position[2] as number;
  const expected = collapseCounted(
    cast.map((v) => ({ a: position[v.a] as number, b: position[v.b] as number, outcome: v.outcome, count: 1 })).filter((v) => v.a >= 0 && v.b >= 0),
  ).sort((x, y) => x.a - y.a || x.b - y.b);
  assert.deepEqual(counter.collapsed(position), expected, `${subjects} subjects`);
}

test("collapsed rows equal collapseCounted's over renumbered, dropped and merged subjects, with dense counts", () => check(12, 5_000, 1));

test("and beyond the dense budget (1,100 subjects: counts and sums in maps)", () => check(1_100, 20_000, 2));
