import assert from "node:assert/strict";
import { test } from "node:test";
import { isSealed, open, seal } from "../../src/platform/secret-box.ts";

const SECRET = "a-server-secret-of-some-length-0123456789";

test("a sealed key opens with the same secret and context only, and never contains the plaintext", () => {
  const sealed = seal(SECRET, "sk-plain-key-123456", "subject-1");
  assert.ok(isSealed(sealed));
  assert.ok(!sealed.includes("sk-plain"));
  assert.notEqual(seal(SECRET, "sk-plain-key-123456", "subject-1"), sealed, "a fresh IV each time");
  assert.equal(open(SECRET, sealed, "subject-1"), "sk-plain-key-123456");
  assert.throws(() => open(SECRET, sealed, "subject-2"), /could not be opened/);
  assert.throws(() => open("another-secret-entirely-0123456789", sealed, "subject-1"), /could not be opened/);
  const [v, iv, tag, ct] = sealed.split(".");
  const flipped = `${v}.${iv}.${tag}.${(ct ?? "").startsWith("A") ? "B" : "A"}${(ct ?? "").slice(1)}`;
  assert.throws(() => open(SECRET, flipped, "subject-1"), /could not be opened/);
  assert.throws(() => open(SECRET, "sk-plain-key-123456", "subject-1"), /not in a known format/);
});
