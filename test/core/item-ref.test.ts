import assert from "node:assert/strict";
import { test } from "node:test";
import { matchItemRef, type KnownItem } from "../../src/core/item-ref.ts";

const items: KnownItem[] = [
  { id: "11111111-1111-4111-8111-111111111111", externalRef: null, title: "Housing benefit" },
  { id: "22222222-2222-4222-8222-222222222222", externalRef: "ct-1", title: "Council tax" },
  { id: "33333333-3333-4333-8333-333333333333", externalRef: null, title: "Twice" },
  { id: "44444444-4444-4444-8444-444444444444", externalRef: "Housing benefit", title: "" },
  { id: "55555555-5555-4555-8555-555555555555", externalRef: null, title: "Twice" },
  { id: "66666666-6666-4666-8666-666666666666", externalRef: null, title: "" },
];

test("an external id wins over a title, then the id, then a title (trimmed)", () => {
  assert.deepEqual(matchItemRef("Housing benefit", items), { kind: "external_ref", id: "44444444-4444-4444-8444-444444444444" });
  assert.deepEqual(matchItemRef("ct-1", items), { kind: "external_ref", id: "22222222-2222-4222-8222-222222222222" });
  assert.deepEqual(matchItemRef("11111111-1111-4111-8111-111111111111", items), { kind: "id", id: "11111111-1111-4111-8111-111111111111" });
  assert.deepEqual(matchItemRef("  Council tax ", items), { kind: "title", id: "22222222-2222-4222-8222-222222222222" });
});

test("a title two items share is ambiguous; an unknown value, or an empty one, is a new item", () => {
  assert.deepEqual(matchItemRef("Twice", items), { kind: "ambiguous", count: 2 });
  assert.deepEqual(matchItemRef("Rent arrears", items), { kind: "new" });
  assert.deepEqual(matchItemRef("", items), { kind: "new" }, "untitled items are never matched by an empty title");
});
