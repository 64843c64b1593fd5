import assert from "node:assert/strict";
import { test } from "node:test";
import { everInConversation, type TimedVote } from "../../../src/analytics/opinion/in-conversation.ts";

test("while fewer than 15 qualify, the 15 most active voters are in; later, 7 votes let one in; once in, always in", () => {
  const statements = Array.from({ length: 10 }, (_, i) => i); // ten statements exist from t = 0..9
  const events: TimedVote[] = [];
  // t = 100..119: twenty participants vote once each (nobody has min(7, 10) = 7 votes)
  for (let p = 0; p < 20; p++) events.push({ participant: `p${p}`, statement: "s0", at: 100 + p });
  // t = 200..: p19 votes on 6 more statements (7 in all) and so qualifies on its own
  for (let k = 1; k <= 6; k++) events.push({ participant: "p19", statement: `s${k}`, at: 200 + k });
  const inside = new Set(everInConversation(statements, events));
  // While the first votes arrive, every voter so far is among the 15 most active: p0..p14 get in then;
  // p15..p18 arrive when 15 voters with one vote each already fill the top 15 (ties keep first appearance).
  for (let p = 0; p < 15; p++) assert.ok(inside.has(`p${p}`), `p${p}`);
  for (let p = 15; p < 19; p++) assert.ok(!inside.has(`p${p}`), `p${p}`);
  assert.ok(inside.has("p19"), "seven votes");
  assert.equal(inside.size, 16);
});

test("the threshold is min(7, statements existing at the time of the vote)", () => {
  const events: TimedVote[] = [];
  // 16 busy voters qualify with 2 votes each while only 2 statements exist, so no top-up happens
  for (let p = 0; p < 16; p++) events.push({ participant: `b${p}`, statement: "s0", at: 10 + p }, { participant: `b${p}`, statement: "s1", at: 30 + p });
  events.push({ participant: "early", statement: "s0", at: 50 }, { participant: "early", statement: "s1", at: 51 });
  events.push({ participant: "late", statement: "s0", at: 500 }, { participant: "late", statement: "s1", at: 501 });
  const inside = new Set(everInConversation([0, 1, 400, 401, 402, 403, 404, 405], events));
  assert.ok(inside.has("early"), "two votes when two statements existed");
  assert.ok(!inside.has("late"), "two votes when eight existed (needs seven)");
});
