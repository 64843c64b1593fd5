/** The BT rule's bootstrap percentiles by selection equal the sorted array's (quantile.ts), ties and edges included. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { selectedQuantile } from "../../src/analytics/results/bt-rule.ts";
import { quantileSorted } from "../../src/analytics/results/quantile.ts";
import { createRng } from "../../src/analytics/rng.ts";

test("selection gives exactly quantileSorted's value on random arrays, with many ties, of lengths 1 to 1,200", () => {
  const rng = createRng(12);
  for (let trial = 0; trial < 400; trial++) {
    const length = 1 + Math.floor(rng.next() * 1200);
    // a third of the arrays drawn from 5 values only: ties around the order statistics
    const levels = trial % 3 === 0 ? 5 : 0;
    const values = Float64Array.from({ length }, () => (levels ? Math.floor(rng.next() * levels) : rng.next() * 100 - 50));
    const sorted = Float64Array.from(values).sort();
    for (const q of [0, 0.025, 0.5, 0.975, 1]) {
      assert.equal(selectedQuantile(Float64Array.from(values), q), quantileSorted(sorted, q), `length ${length}, q ${q}`);
    }
  }
  assert.ok(Number.isNaN(selectedQuantile(new Float64Array(0), 0.5)));
});
