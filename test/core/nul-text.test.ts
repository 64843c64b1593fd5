import assert from "node:assert/strict";
import { test } from "node:test";
import { nulFieldIn } from "../../src/core/nul-text.ts";

test("nulFieldIn names the first place a NUL hides, as a dotted path from the root", () => {
  assert.equal(nulFieldIn({ a: "fine", b: [1, "x", { c: "bad\u0000" }] }), "body.b.2.c");
  assert.equal(nulFieldIn(["ok", "no\u0000"], "content"), "content.1");
  assert.equal(nulFieldIn("\u0000"), "body");
  assert.equal(nulFieldIn({ responses: [{ text: "first\u0000" }, { text: "second\u0000" }] }), "body.responses.0.text", "the first one");
});

test("nulFieldIn names a key that holds a NUL with the NUL written \\0", () => {
  assert.equal(nulFieldIn({ outer: { "ke\u0000y": "value" } }), "body.outer.ke\\0y");
});

test("nulFieldIn answers null when no string or key holds a NUL", () => {
  assert.equal(nulFieldIn({ a: ["x", 1, null, true, { b: "y" }], c: undefined }), null);
  assert.equal(nulFieldIn(Array.from({ length: 10_000 }, (_, i) => ({ text: `row ${i}` }))), null);
});
