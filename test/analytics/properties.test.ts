/** Properties every rule must keep, checked on generated data with fast-check. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { collapseComparisons, withoutParticipants } from "../../src/analytics/results/pairs.ts";
import { runRules } from "../../src/analytics/results/run.ts";
import type { Comparison, PairRow, ResultsInput, RuleResult } from "../../src/analytics/results/types.ts";
import type { PairwiseOutcome } from "../../src/core/judgment.ts";

const SUBJECTS = ["s0", "s1", "s2", "s3", "s4"];
const OUTCOMES: PairwiseOutcome[] = ["a", "b", "tie", "both_bad"];

const comparison = fc
  .record({ a: fc.nat(4), shift: fc.integer({ min: 1, max: 4 }), outcome: fc.constantFrom(...OUTCOMES), participant: fc.constantFrom("p0", "p1", "p2", "p3") })
  .map(({ a, shift, outcome, participant }): Comparison => ({ a, b: (a + shift) % 5, outcome, participant }));

function inputOf(subjects: readonly string[], comparisons: readonly Comparison[]): ResultsInput {
  return { subjects, pairs: collapseComparisons(comparisons), comparisons };
}

const OPTIONS = { rounds: 20, permutations: 5, seed: 3 } as const;

test("relabelling subjects relabels the results and changes nothing else", () => {
  fc.assert(
    fc.property(fc.array(comparison, { minLength: 1, maxLength: 60 }), fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5 }), (comparisons, permutation) => {
      const renamed = SUBJECTS.map((name) => `renamed-${name}`);
      const relabelledSubjects = new Array<string>(5);
      permutation.forEach((target, i) => (relabelledSubjects[target] = renamed[i] ?? ""));
      const move = (i: number): number => permutation[i] ?? 0;
      const original = inputOf(SUBJECTS, comparisons);
      const relabelled: ResultsInput = {
        subjects: relabelledSubjects,
        pairs: original.pairs.map((row): PairRow => ({ ...row, a: move(row.a), b: move(row.b) })),
        comparisons: comparisons.map((c) => ({ ...c, a: move(c.a), b: move(c.b) })),
      };
      const before = runRules(original, OPTIONS);
      const after = runRules(relabelled, OPTIONS);
      before.forEach((result, k) => assertRelabelled(result, after[k], (name) => `renamed-${name}`));
    }),
    { numRuns: 60 },
  );
});

function assertRelabelled(before: RuleResult, after: RuleResult | undefined, rename: (name: string) => string): void {
  assert.ok(after);
  assert.deepEqual({ ...after, subjects: [], components: [], warnings: [] }, { ...before, subjects: [], components: [], warnings: [] });
  const sortedNames = (components: readonly (readonly string[])[]): string[] => components.map((c) => [...c].sort().join(",")).sort();
  assert.deepEqual(sortedNames(after.components), sortedNames(before.components.map((c) => c.map(rename))));
  assert.equal(after.warnings.length, before.warnings.length);
  const afterByName = new Map(after.subjects.map((s) => [s.name, s]));
  for (const s of before.subjects) {
    const moved = afterByName.get(rename(s.name));
    assert.ok(moved, s.name);
    assert.equal(moved.rank, s.rank, `${before.rule} ${s.name}`);
    for (const key of ["score", "lower", "upper"] as const) {
      const x = s[key];
      const y = moved[key];
      assert.ok(x === null ? y === null : y !== null && Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x)), `${before.rule} ${s.name} ${key}: ${x} vs ${y}`);
    }
  }
}

test("removing a participant's judgments equals computing on data that never had them", () => {
  fc.assert(
    fc.property(fc.array(comparison, { minLength: 1, maxLength: 60 }), fc.array(comparison, { maxLength: 30 }), fc.array(fc.boolean(), { maxLength: 90 }), (others, removedRaw, interleave) => {
      const kept = others.map((c) => ({ ...c, participant: c.participant === "p3" ? "p2" : c.participant }));
      const removed = removedRaw.map((c) => ({ ...c, participant: "p3" }));
      const all = interleaveBy(kept, removed, interleave);
      const revoked = runRules(inputOf(SUBJECTS, withoutParticipants(all, new Set(["p3"]))), OPTIONS);
      const never = runRules(inputOf(SUBJECTS, kept), OPTIONS);
      assert.deepEqual(revoked, never);
    }),
    { numRuns: 60 },
  );
});

function interleaveBy<T>(first: readonly T[], second: readonly T[], pattern: readonly boolean[]): T[] {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  for (const takeSecond of pattern) {
    if (takeSecond && j < second.length) merged.push(second[j++] as T);
    else if (i < first.length) merged.push(first[i++] as T);
  }
  return [...merged, ...first.slice(i), ...second.slice(j)];
}

test("doubling every count narrows bootstrap intervals by about 1/√2 (mean ratio within 0.707 ± 0.06)", () => {
  // Every pair of 5 subjects is compared 200–400 times (so the MLE always exists); with 1000 rounds the
  // width of a 95% percentile interval has a sampling error of a few per cent, so the mean of the five
  // width ratios falls within ±0.06 of 1/√2 ≈ 0.707.
  const count = fc.integer({ min: 50, max: 100 });
  const pairs = fc.array(fc.tuple(count, count, count, count), { minLength: 10, maxLength: 10 });
  fc.assert(
    fc.property(pairs, fc.integer({ min: 0, max: 1000 }), (cells, seed) => {
      const rows = cells.map(([winsA, winsB, ties, bothBad], k): PairRow => {
        const [a, b] = PAIR_INDICES[k] ?? [0, 1];
        return { a, b, winsA, winsB, ties, bothBad };
      });
      const doubled = rows.map((r) => ({ ...r, winsA: 2 * r.winsA, winsB: 2 * r.winsB, ties: 2 * r.ties, bothBad: 2 * r.bothBad }));
      const [single] = runRules({ subjects: SUBJECTS, pairs: rows }, { rules: ["bt"], rounds: 1000, seed });
      const [twice] = runRules({ subjects: SUBJECTS, pairs: doubled }, { rules: ["bt"], rounds: 1000, seed });
      const width = (s: { lower: number | null; upper: number | null }): number => (s.upper ?? 0) - (s.lower ?? 0);
      const ratios = (single?.subjects ?? []).map((s) => width(twice?.subjects.find((t) => t.name === s.name) ?? s) / width(s));
      const meanRatio = ratios.reduce((sum, r) => sum + r, 0) / ratios.length;
      assert.ok(Math.abs(meanRatio - Math.SQRT1_2) < 0.06, `mean width ratio ${meanRatio}`);
    }),
    { numRuns: 15 },
  );
});

const PAIR_INDICES: readonly (readonly [number, number])[] = [0, 1, 2, 3, 4].flatMap((a) => [0, 1, 2, 3, 4].filter((b) => b > a).map((b) => [a, b] as const));
