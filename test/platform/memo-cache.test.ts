import assert from "node:assert/strict";
import { test } from "node:test";
import { memoCache } from "../../src/platform/memo-cache.ts";

test("concurrent requests for one key share one computation; a failure is forgotten; the oldest key leaves first", async () => {
  const cached = memoCache<number>(2);
  let computed = 0;
  let release: (value: number) => void = () => undefined;
  const slow = () => {
    computed += 1;
    return new Promise<number>((resolve) => (release = resolve));
  };
  const burst = Array.from({ length: 20 }, () => cached("v1", slow));
  release(42);
  assert.deepEqual(new Set(await Promise.all(burst)), new Set([42]));
  assert.equal(computed, 1, "twenty concurrent requests, one computation");

  await assert.rejects(cached("v2", () => Promise.reject(new Error("boom"))));
  assert.equal(await cached("v2", async () => 7), 7, "a failed computation is not kept");

  await cached("v3", async () => 3);
  let recomputed = false;
  await cached("v1", async () => {
    recomputed = true;
    return 1;
  });
  assert.ok(recomputed, "with room for two, the least recently used key (v1) was evicted");
});
