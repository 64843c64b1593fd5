import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { createRng } from "../../src/analytics/rng.ts";
import { pairKey } from "../../src/core/assignment.ts";
import { buildPoolIndex, drawBattle, pairWeights, seenKeys, type PoolRow } from "../../src/core/draw.ts";

/** Regularised upper incomplete gamma Q(a, x) (Numerical Recipes: series below a + 1, continued fraction above). */
function upperGamma(a: number, x: number): number {
  const lnGammaA = lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - lnGammaA);
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGammaA) * h;
}

function lnGamma(z: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const x = z - 1;
  let a = c[0] as number;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += (c[i] as number) / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The intended probabilities by brute force: every eligible (item, ordered pair) with weight w / 2. */
function intended(rows: readonly PoolRow[], counts: ReadonlyMap<string, number>, seen: ReadonlySet<string>): Map<string, number> {
  const byItem = new Map<string, PoolRow[]>();
  for (const row of rows) byItem.set(row.item_id, [...(byItem.get(row.item_id) ?? []), row]);
  const out = new Map<string, number>();
  let total = 0;
  for (const [item, rs] of byItem) {
    for (const x of rs) {
      for (const y of rs) {
        if (x.subject_id === y.subject_id) continue;
        const key = pairKey(x.subject_id, y.subject_id);
        if (seen.has(`${item}|${key}`)) continue;
        const w = 1 / (1 + (counts.get(key) ?? 0)) / 2;
        out.set(`${item}|${x.subject_id}>${y.subject_id}`, w);
        total += w;
      }
    }
  }
  for (const [k, w] of out) out.set(k, w / total);
  return out;
}

// A small evaluation: 5 items, 5 subjects, some responses missing, uneven comparison counts, some (item, pair) seen.
const SUBJECTS = ["s1", "s2", "s3", "s4", "s5"];
const ROWS: PoolRow[] = [];
for (const [i, item] of ["i1", "i2", "i3", "i4", "i5"].entries()) {
  for (const [s, subject] of SUBJECTS.entries()) {
    if ((i + s) % 4 === 3) continue; // missing responses
    ROWS.push({ item_id: item, subject_id: subject, response_id: `${item}-${subject}` });
  }
}
const COUNTS = new Map([
  [pairKey("s1", "s2"), 0],
  [pairKey("s1", "s3"), 3],
  [pairKey("s2", "s3"), 9],
  [pairKey("s4", "s5"), 1],
  [pairKey("s1", "s5"), 20],
]);
const SEEN = [
  { item_id: "i1", x: "s1", y: "s2" },
  { item_id: "i3", x: "s3", y: "s5" },
  { item_id: "i5", x: "s2", y: "s1" },
  { item_id: "nowhere", x: "s1", y: "s2" },
];

function chiSquareOf(tries: number, seed: number, draws: number) {
  const index = buildPoolIndex(ROWS);
  const weights = pairWeights(index, COUNTS);
  const seen = seenKeys(index, SEEN);
  const expected = intended(ROWS, COUNTS, new Set(SEEN.map((s) => `${s.item_id}|${pairKey(s.x, s.y)}`)));
  const rng = createRng(seed);
  const observed = new Map<string, number>();
  for (let d = 0; d < draws; d++) {
    const battle = drawBattle(index, weights, seen, () => rng.next(), { tries });
    assert.ok(battle);
    const key = `${battle.itemId}|${battle.left.subjectId}>${battle.right.subjectId}`;
    assert.ok(expected.has(key), `drew an ineligible option ${key}`);
    observed.set(key, (observed.get(key) ?? 0) + 1);
  }
  let chi = 0;
  for (const [key, p] of expected) chi += ((observed.get(key) ?? 0) - draws * p) ** 2 / (draws * p);
  const df = expected.size - 1;
  return { chi, df, p: upperGamma(df / 2, chi / 2), categories: expected.size };
}

describe("battle draw: distribution", () => {
  // H0: the draws follow P(i, x > y) = w_xy / 2 / Σ w over eligible options (chooseBattle's policy).
  // 200,000 draws over every (item, ordered pair); the seed is fixed, so the outcome is deterministic.
  // Threshold: reject at p < 0.001.
  test("chi-square goodness of fit against the intended weights, rejection sampling path (seed 20261201)", () => {
    const { chi, df, p, categories } = chiSquareOf(32, 20261201, 200_000);
    assert.ok(categories > 40, `${categories} categories`);
    if (process.env.DRAW_VERBOSE) process.stdout.write(`# χ² = ${chi.toFixed(1)} on ${df} df, p = ${p.toFixed(3)}\n`);
    assert.ok(p > 0.001, `χ² = ${chi.toFixed(1)} on ${df} df, p = ${p}`);
  });

  test("chi-square goodness of fit against the intended weights, exact fallback path (seed 7)", () => {
    const { chi, df, p } = chiSquareOf(0, 7, 200_000);
    if (process.env.DRAW_VERBOSE) process.stdout.write(`# χ² = ${chi.toFixed(1)} on ${df} df, p = ${p.toFixed(3)}\n`);
    assert.ok(p > 0.001, `χ² = ${chi.toFixed(1)} on ${df} df, p = ${p}`);
  });

  test("the chi-square test has power: a uniform draw over options is rejected", () => {
    // Sanity check of the test itself: drawing options uniformly (ignoring the weights) must fail it.
    const expected = intended(ROWS, COUNTS, new Set(SEEN.map((s) => `${s.item_id}|${pairKey(s.x, s.y)}`)));
    const keys = [...expected.keys()];
    const rng = createRng(1);
    const draws = 200_000;
    const observed = new Map<string, number>();
    for (let d = 0; d < draws; d++) {
      const key = keys[Math.floor(rng.next() * keys.length)] as string;
      observed.set(key, (observed.get(key) ?? 0) + 1);
    }
    let chi = 0;
    for (const [key, p] of expected) chi += ((observed.get(key) ?? 0) - draws * p) ** 2 / (draws * p);
    assert.ok(upperGamma((keys.length - 1) / 2, chi / 2) < 1e-6);
  });

  test("the p-value helper agrees with known chi-square quantiles", () => {
    assert.ok(Math.abs(upperGamma(1 / 2, 3.841 / 2) - 0.05) < 1e-3);
    assert.ok(Math.abs(upperGamma(10 / 2, 23.209 / 2) - 0.01) < 1e-4);
  });
});

describe("battle draw: exclusion rules (property)", () => {
  const pool = fc
    .record({
      items: fc.integer({ min: 1, max: 7 }),
      subjects: fc.integer({ min: 1, max: 6 }),
      present: fc.array(fc.boolean(), { minLength: 42, maxLength: 42 }),
      counts: fc.array(fc.nat(30), { minLength: 21, maxLength: 21 }),
      seen: fc.array(fc.tuple(fc.nat(6), fc.nat(5), fc.nat(5)), { maxLength: 60 }),
      tries: fc.constantFrom(0, 1, 32),
      seed: fc.integer(),
    })
    .map((p) => {
      const rows: PoolRow[] = [];
      for (let i = 0; i < p.items; i++) {
        for (let s = 0; s < p.subjects; s++) if (p.present[i * 6 + s]) rows.push({ item_id: `i${i}`, subject_id: `s${s}`, response_id: `r${i}-${s}` });
      }
      const counts = new Map<string, number>();
      let k = 0;
      for (let a = 0; a < 6; a++) for (let b = a + 1; b < 6; b++) counts.set(pairKey(`s${a}`, `s${b}`), p.counts[k++] ?? 0);
      const seen = p.seen.filter(([, x, y]) => x !== y).map(([i, x, y]) => ({ item_id: `i${i}`, x: `s${x}`, y: `s${y}` }));
      return { rows, counts, seen, tries: p.tries, seed: p.seed };
    });

  test("never the same subject twice, never a seen (item, pair), responses are the subjects' own, null only when nothing is left", () => {
    fc.assert(
      fc.property(pool, ({ rows, counts, seen, tries, seed }) => {
        const index = buildPoolIndex(rows);
        const seenSet = new Set(seen.map((s) => `${s.item_id}|${pairKey(s.x, s.y)}`));
        const eligible = intended(rows, counts, seenSet);
        const rng = createRng(seed);
        let seenKeysNow = seenKeys(index, seen);
        const judged = new Set(seenSet);
        // Draw until nothing is left, marking each drawn (item, pair) as judged: every option comes out exactly once.
        for (let round = 0; round <= eligible.size; round++) {
          const battle = drawBattle(index, pairWeights(index, counts), seenKeysNow, () => rng.next(), { tries });
          if (!battle) {
            const left = [...eligible.keys()].filter((k) => {
              const [item, pair] = k.split("|") as [string, string];
              const [x, y] = pair.split(">") as [string, string];
              return !judged.has(`${item}|${pairKey(x, y)}`);
            });
            assert.deepEqual(left, [], "null although options are left");
            return;
          }
          assert.notEqual(battle.left.subjectId, battle.right.subjectId);
          const key = `${battle.itemId}|${pairKey(battle.left.subjectId, battle.right.subjectId)}`;
          assert.ok(!judged.has(key), `drew ${key} twice`);
          assert.equal(battle.left.responseId, `r${battle.itemId.slice(1)}-${battle.left.subjectId.slice(1)}`);
          assert.equal(battle.right.responseId, `r${battle.itemId.slice(1)}-${battle.right.subjectId.slice(1)}`);
          judged.add(key);
          seen.push({ item_id: battle.itemId, x: battle.left.subjectId, y: battle.right.subjectId });
          seenKeysNow = seenKeys(index, seen);
        }
        assert.fail("more draws than options");
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
