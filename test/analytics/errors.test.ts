/** Unusable input is a typed error with a stable code, never NaN in a result. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runRules } from "../../src/analytics/results/run.ts";
import { ResultsError } from "../../src/analytics/results/types.ts";
import type { ResultsErrorCode } from "../../src/analytics/results/types.ts";

const ROW = { a: 0, b: 1, winsA: 3, winsB: 1, ties: 1, bothBad: 0 };

function throwsCode(run: () => unknown, code: ResultsErrorCode): void {
  assert.throws(run, (error: unknown) => error instanceof ResultsError && error.code === code && error.message.length > 0);
}

test("an anchor naming no subject is unknown_anchor", () => {
  throwsCode(() => runRules({ subjects: ["x", "y"], pairs: [ROW] }, { anchor: { name: "z", value: 1000 } }), "unknown_anchor");
});

test("zero judgments is no_judgments", () => {
  throwsCode(() => runRules({ subjects: ["x", "y"], pairs: [] }), "no_judgments");
  throwsCode(() => runRules({ subjects: ["x", "y"], pairs: [{ ...ROW, winsA: 0, winsB: 0, ties: 0 }] }), "no_judgments");
});

test("a single subject is single_subject", () => {
  throwsCode(() => runRules({ subjects: ["x"], pairs: [] }), "single_subject");
});

test("an unknown rule, negative counts or a bad index are typed errors", () => {
  throwsCode(() => runRules({ subjects: ["x", "y"], pairs: [ROW] }, { rules: ["mode"] }), "unknown_rule");
  throwsCode(() => runRules({ subjects: ["x", "y"], pairs: [{ ...ROW, winsA: -1 }] }), "invalid_input");
  throwsCode(() => runRules({ subjects: ["x", "y"], pairs: [{ ...ROW, b: 2 }] }), "invalid_input");
});

test("a disconnected graph is fitted per component and reported; no number is NaN", () => {
  const pairs = [ROW, { a: 2, b: 3, winsA: 2, winsB: 2, ties: 0, bothBad: 1 }];
  const results = runRules({ subjects: ["w", "x", "y", "z"], pairs }, { rounds: 50 });
  const bt = results.find((r) => r.rule === "bt");
  assert.deepEqual(bt?.components, [["w", "x"], ["y", "z"]]);
  assert.match(bt?.warnings[0] ?? "", /separately per component/);
  for (const result of results) {
    for (const s of result.subjects) for (const value of [s.score, s.lower, s.upper]) assert.ok(value === null || Number.isFinite(value), `${result.rule} ${s.name}`);
  }
});

test("a subject that never loses is its own component, with a warning, not an infinite rating", () => {
  const pairs = [{ a: 0, b: 1, winsA: 5, winsB: 0, ties: 0, bothBad: 0 }, { a: 1, b: 2, winsA: 3, winsB: 2, ties: 0, bothBad: 0 }];
  const [bt] = runRules({ subjects: ["champ", "x", "y"], pairs }, { rules: ["bt"], rounds: 50 });
  assert.deepEqual(bt?.components, [["champ"], ["x", "y"]]);
  assert.equal(bt?.excluded.find((e) => e.reason.includes("one scale"))?.count, 5);
  for (const s of bt?.subjects ?? []) assert.ok(Number.isFinite(s.score));
});
