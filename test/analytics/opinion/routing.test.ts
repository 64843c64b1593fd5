/** Statement routing by Polis's comment priority. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { commentPriority, nextStatements, rankStatements } from "../../../src/analytics/opinion/priority.ts";
import { seededRandom } from "../../../src/analytics/opinion/prng.ts";
import { GOLDEN_CASES, unpackGoldenCase } from "./fixtures.ts";

test("priority formula on hand-computed values", () => {
  // unseen statement, no extremity: p = a = 1/2, importance = 1/4, boost 1 + 8 = 9 → (9/4)² = 5.0625
  assert.equal(commentPriority(false, 0, 0, 0, 0), 5.0625);
  // A=18, P=3, S=20, E=1: p = 4/22, a = 19/22, importance = (18/22)·2·(19/22); boost 1 + 8·2^-4 = 1.5
  const importance = (18 / 22) * 2 * (19 / 22);
  assert.ok(Math.abs(commentPriority(false, 18, 3, 20, 1) - (importance * 1.5) ** 2) < 1e-12);
  assert.equal(commentPriority(true, 5, 5, 10, 3), 49);
});

// In 50ptpt-3gp-strict-no-meta Polis gives every statement 49, the meta priority, though none is meta
// (meta-tids is empty): an artifact of that Polis run, so the case is left out here.
test("priorities equal Polis's comment-priorities on four golden cases (from Polis's group votes and extremity)", () => {
  for (const name of GOLDEN_CASES.filter((c) => c !== "50ptpt-3gp-strict-no-meta")) {
    const { math } = unpackGoldenCase(name);
    math.tids.forEach((tid, j) => {
      let [A, D, S] = [0, 0, 0];
      for (const group of Object.values(math["group-votes"])) {
        const v = group.votes[String(tid)];
        if (v) [A, D, S] = [A + v.A, D + v.D, S + v.S];
      }
      const mine = commentPriority(math["meta-tids"].includes(tid), A, S - A - D, S, math.pca["comment-extremity"][j]!);
      const theirs = math["comment-priorities"][String(tid)]!;
      assert.ok(Math.abs(mine - theirs) <= 1e-9 * Math.max(1, theirs), `${name} tid ${tid}: ${mine} vs ${theirs}`);
    });
  }
});

const candidates = [
  { statement: "a", priority: 1 },
  { statement: "b", priority: 4 },
  { statement: "c", priority: 9, moderatedOut: true },
  { statement: "d", priority: 2 },
  { statement: "e", priority: 0 },
];

test("ranking leaves out what was voted on, moderated out, or has no priority", () => {
  assert.deepEqual(rankStatements(candidates, new Set(["d"])).map((c) => c.statement), ["b", "a"]);
});

test("the next statement is drawn in proportion to priority, reproducibly from a seed", () => {
  assert.deepEqual(nextStatements(candidates, new Set(), 3, seededRandom(5)), nextStatements(candidates, new Set(), 3, seededRandom(5)));
  assert.deepEqual(new Set(nextStatements(candidates, new Set(), 5, seededRandom(1))), new Set(["a", "b", "d"]));
  const counts = new Map<string, number>();
  const random = seededRandom(42);
  for (let n = 0; n < 14000; n++) {
    const [first] = nextStatements(candidates, new Set(), 1, random);
    counts.set(first!, (counts.get(first!) ?? 0) + 1);
  }
  // expected shares 1/7, 4/7, 2/7 of 14000: 2000, 8000, 4000 (±5%)
  for (const [id, expected] of [["a", 2000], ["b", 8000], ["d", 4000]] as const) {
    assert.ok(Math.abs(counts.get(id)! - expected) < expected * 0.05, `${id}: ${counts.get(id)}`);
  }
});
