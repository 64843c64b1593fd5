/**
 * The WebAssembly chord refit (through componentRefit) against a plain TypeScript statement of the same iteration
 * (test/support/bt-chord-reference.ts) and against full Newton, on random problems of odd and even sizes (the
 * kernel pads the inverse's rows to an even length for its f64x2 lanes).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { componentRefit } from "../../../src/analytics/results/bt-bootstrap.ts";
import { problemFromRows } from "../../../src/analytics/results/bt-problem.ts";
import { fitBradleyTerry } from "../../../src/analytics/results/bt.ts";
import type { PairRow } from "../../../src/analytics/results/types.ts";
import { createRng, multinomial, type Rng } from "../../../src/analytics/rng.ts";
import { chordReference } from "../../support/bt-chord-reference.ts";

/** Subjects with random strengths, a ring of pairs (connected) and about half the other pairs, counts drawn from the model. */
function randomRows(rng: Rng, n: number): PairRow[] {
  const strength = Array.from({ length: n }, () => 1.5 * rng.next());
  const rows: PairRow[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (j !== i + 1 && !(i === 0 && j === n - 1) && rng.next() < 0.5) continue;
      const battles = 20 + Math.floor(400 * rng.next());
      const p = 1 / (1 + 10 ** ((strength[j] as number) - (strength[i] as number)));
      const ties = Math.floor(0.1 * battles * rng.next());
      const winsA = Math.max(1, Math.round((battles - ties) * p));
      rows.push({ a: i, b: j, winsA, winsB: Math.max(1, battles - ties - winsA), ties, bothBad: 0 });
    }
  return rows;
}

for (const n of [3, 8, 17, 40]) {
  test(`${n} subjects: the kernel's refit equals the plain iteration within 1e-9 and full Newton within 0.005 rating points`, () => {
    const rng = createRng(100 + n);
    for (let problemIndex = 0; problemIndex < 4; problemIndex++) {
      const rows = randomRows(rng, n);
      const problem = problemFromRows(n, rows);
      const mle = fitBradleyTerry(problem).r;
      const refit = componentRefit({ members: Array.from({ length: n }, (_, i) => i), rowIndices: Int32Array.from(rows, (_, k) => k), problem }, mle);
      assert.ok(refit);
      const weights = Float64Array.from(rows.flatMap((row) => [row.winsA, row.winsB, row.ties]));
      const total = weights.reduce((sum, w) => sum + w, 0);
      const drawn = new Float64Array(weights.length);
      for (let round = 0; round < 25; round++) {
        multinomial(rng, total, weights, drawn);
        const fast = refit(drawn);
        const plain = chordReference(problem, mle, drawn);
        const resampled = { ...problem, winsA: problem.winsA.map((_, k) => (drawn[3 * k] as number) + 0.5 * (drawn[3 * k + 2] as number)), winsB: problem.winsB.map((_, k) => (drawn[3 * k + 1] as number) + 0.5 * (drawn[3 * k + 2] as number)) };
        const newton = fitBradleyTerry(resampled);
        if (fast === "degenerate") {
          assert.equal(newton.converged && newton.r.every(Number.isFinite) && Math.max(...newton.r.map(Math.abs)) < 10, false, `round ${round}: degenerate but Newton converged`);
          continue;
        }
        assert.ok(fast.converged, `problem ${problemIndex} round ${round}`);
        if (plain) {
          const apart = fast.r.reduce((most, value, i) => Math.max(most, Math.abs(value - (plain[i] as number))), 0);
          assert.ok(apart < 1e-9, `problem ${problemIndex} round ${round}: ${apart} from the plain iteration`);
        }
        const fromNewton = fast.r.reduce((most, value, i) => Math.max(most, Math.abs(value - (newton.r[i] as number))), 0);
        assert.ok(400 * fromNewton < 0.005, `problem ${problemIndex} round ${round}: ${400 * fromNewton} points from full Newton`);
      }
    }
  });
}
