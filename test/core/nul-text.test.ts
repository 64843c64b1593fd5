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

test("nulFieldIn names the first place a NUL hides: a string, an array element, a key", () => {
  assert.equal(nulFieldIn({ title: "ok", text: "a\u0000b" }), "body.text");
  assert.equal(nulFieldIn({ tags: ["ok", "x\u0000"] }, "content"), "content.tags.1");
  assert.equal(nulFieldIn({ scores: { "he\u0000lp": 3 } }), "body.scores.he\\0lp");
  assert.equal(nulFieldIn({ a: { b: "\u0000" }, c: "\u0000" }), "body.a.b");
  assert.equal(nulFieldIn({ a: [1, null, true, { b: "fine" }] }), null);
  assert.equal(nulFieldIn("plain"), null);
});

test("nulFieldIn walks a value nested 200,000 levels deep without overflowing the call stack", () => {
  let deepArray: unknown = "bottom\u0000";
  let deepObject: unknown = "fine";
  for (let i = 0; i < 200_000; i++) {
    deepArray = [deepArray];
    deepObject = { a: deepObject };
  }
  const found = nulFieldIn(deepArray);
  assert.ok(found?.startsWith("body.0.0.0"), String(found).slice(0, 40));
  assert.equal(found?.split(".").length, 200_001);
  assert.equal(nulFieldIn(deepObject), null);
});
