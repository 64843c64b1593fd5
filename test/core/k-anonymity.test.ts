import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { isPublishable, publishableReleases, releasedInBlocks, suppressSmallGroups } from "../../src/core/k-anonymity.ts";

const keys = (groups: readonly { key: string }[]) => groups.map((group) => group.key);

test("groups of at least k stay visible; nothing hidden needs no complement", () => {
  const result = suppressSmallGroups([{ key: "a", count: 5 }, { key: "b", count: 9 }], 5);
  assert.deepEqual(keys(result.visible), ["a", "b"]);
  assert.deepEqual(result.suppressed, []);
  assert.equal(result.total, 14);
});

test("one small group in a published partition: the next smallest is hidden too", () => {
  // total 31 is published; hiding only c (2) would let anyone compute 31 − 12 − 6 − 11 = 2
  const groups = [{ key: "a", count: 12 }, { key: "b", count: 6 }, { key: "c", count: 2 }, { key: "d", count: 11 }];
  const result = suppressSmallGroups(groups, 5);
  assert.deepEqual(keys(result.visible), ["a", "d"]);
  assert.deepEqual(result.suppressed, [{ key: "b", reason: "complementary" }, { key: "c", reason: "below_k" }]);
  assert.equal(result.total, 31);
});

test("two small groups whose sum is still below k: a third group is hidden", () => {
  const groups = [{ key: "a", count: 1 }, { key: "b", count: 2 }, { key: "c", count: 7 }, { key: "d", count: 20 }];
  const result = suppressSmallGroups(groups, 5);
  assert.deepEqual(keys(result.visible), ["d"]);
  assert.deepEqual(result.suppressed.map((s) => s.reason), ["below_k", "below_k", "complementary"]);
});

test("two small groups that together reach k need no complement", () => {
  const groups = [{ key: "a", count: 2 }, { key: "b", count: 3 }, { key: "c", count: 7 }];
  const result = suppressSmallGroups(groups, 5);
  assert.deepEqual(keys(result.visible), ["c"]);
});

test("ties for the next smallest are broken by key", () => {
  const groups = [{ key: "z", count: 6 }, { key: "y", count: 6 }, { key: "x", count: 1 }];
  const result = suppressSmallGroups(groups, 5);
  assert.deepEqual(keys(result.visible), ["z"]);
});

test("a total below k hides everything, the total included", () => {
  const result = suppressSmallGroups([{ key: "a", count: 3 }, { key: "b", count: 1 }], 5);
  assert.deepEqual(result.visible, []);
  assert.equal(result.total, null);
});

test("overlapping groups (not a partition): only small groups are hidden and no total is given", () => {
  const groups = [{ key: "teachers", count: 8 }, { key: "parents", count: 3 }, { key: "nurses", count: 9 }];
  const result = suppressSmallGroups(groups, 5, { partition: false });
  assert.deepEqual(keys(result.visible), ["teachers", "nurses"]);
  assert.equal(result.total, null);
});

test("property: in a partition no visible group is below k and hidden members are 0 or at least k, never one group alone", () => {
  const group = fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), count: fc.nat({ max: 30 }) });
  fc.assert(
    fc.property(fc.uniqueArray(group, { selector: (g) => g.key, maxLength: 8 }), fc.integer({ min: 1, max: 10 }), (groups, k) => {
      const result = suppressSmallGroups(groups, k);
      for (const g of result.visible) assert.ok(g.count >= k);
      const hidden = groups.filter((g) => !result.visible.includes(g));
      const hiddenMembers = hidden.reduce((sum, g) => sum + g.count, 0);
      if (result.total !== null && hidden.length > 0) {
        assert.ok(hidden.length >= 2, "a lone hidden group could be recovered by subtraction");
        assert.ok(hiddenMembers === 0 || hiddenMembers >= k);
      }
    }),
  );
});

test("isPublishable and k validation", () => {
  assert.equal(isPublishable(4, 5), false);
  assert.equal(isPublishable(5, 5), true);
  assert.throws(() => isPublishable(5, 0), RangeError);
  assert.throws(() => suppressSmallGroups([{ key: "a", count: 1 }, { key: "a", count: 2 }], 2), RangeError);
});

const release = (sizes: Record<string, number>) => Object.entries(sizes).map(([key, count]) => ({ key, count }));

test("across releases: one newcomer between two updates (A 30 → 31) withholds the second release; k changes publish again", () => {
  const releases = [release({ a: 30, b: 20 }), release({ a: 31, b: 20 }), release({ a: 33, b: 21 }), release({ a: 35, b: 20 }), release({ a: 35, b: 25 })];
  assert.deepEqual(publishableReleases(releases, 5), [true, false, false, true, true]);
  // the attack: subtract the published releases; no group differs by 1..k-1
  const shown = releases.filter((_, i) => publishableReleases(releases, 5)[i]);
  for (let i = 1; i < shown.length; i++) {
    for (const g of shown[i]!) {
      const d = Math.abs(g.count - (shown[i - 1]!.find((o) => o.key === g.key)?.count ?? 0));
      assert.ok(d === 0 || d >= 5);
    }
  }
});

test("across releases: a group appearing or vanishing counts from 0; one person moving between groups withholds", () => {
  assert.deepEqual(publishableReleases([release({ a: 30 }), release({ a: 24, b: 6 }), release({ a: 27, b: 3 })], 5), [true, true, false]);
  assert.deepEqual(publishableReleases([release({ a: 10, b: 10 }), release({ a: 9, b: 11 })], 2), [true, false]);
});

test("across releases: two published releases that are not neighbours cannot be subtracted either", () => {
  // (20, 20) → (30, 31) → (20, 21): each step moves by 10 or 11, but the first and the third differ by one newcomer in b
  assert.deepEqual(publishableReleases([release({ a: 20, b: 20 }), release({ a: 30, b: 31 }), release({ a: 20, b: 21 })], 10), [true, true, false]);
});

test("property: decisions are never revised by later releases, and ANY two published releases differ per group by 0 or at least k", () => {
  const sizes = fc.array(fc.record({ a: fc.nat(40), b: fc.nat(40), c: fc.nat(40) }), { minLength: 1, maxLength: 12 });
  fc.assert(
    fc.property(sizes, fc.integer({ min: 1, max: 8 }), (list, k) => {
      const releases = list.map((r) => release(r));
      const open = publishableReleases(releases, k);
      for (let n = 1; n <= releases.length; n++) assert.deepEqual(publishableReleases(releases.slice(0, n), k), open.slice(0, n));
      const shown = releases.filter((_, i) => open[i]);
      for (let i = 1; i < shown.length; i++) {
        for (let j = 0; j < i; j++) {
          for (const g of shown[i]!) {
            const d = Math.abs(g.count - shown[j]!.find((o) => o.key === g.key)!.count);
            assert.ok(d === 0 || d >= k, `releases ${j} and ${i} differ by ${d} in ${g.key}`);
          }
        }
      }
      assert.equal(open[0], true);
    }),
  );
});

test("running totals over arriving people are released in whole blocks of k", () => {
  assert.deepEqual([0, 1, 4, 5, 9, 10, 11].map((n) => releasedInBlocks(n, 5)), [0, 0, 0, 5, 5, 10, 10]);
  assert.equal(releasedInBlocks(3, 1), 3);
  assert.throws(() => releasedInBlocks(3, 0), RangeError);
});
