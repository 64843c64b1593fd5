/** The update loop (Polis's rules between updates): first update = one-shot, k smoothing, stable labels, monotone in-conversation set, warm PCA. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { computeOpinionMap } from "../../../src/analytics/opinion/map.ts";
import { buildVoteMatrix } from "../../../src/analytics/opinion/matrix.ts";
import { sparsePca } from "../../../src/analytics/opinion/pca.ts";
import { K_SMOOTHING_UPDATES, QUIET_RECOMPUTE_MS, settleDue, smoothK, stableLabels, updateDue, updateOpinionMap, type KSmoother } from "../../../src/analytics/opinion/update.ts";
import { readPolisExport } from "../../../src/connectors/polis/index.ts";
import { unpackPolisExport } from "./fixtures.ts";

const bg2050 = readPolisExport(unpackPolisExport("bg2050-volunteers"));

test("the first update (no stored state) is the one-shot map: same groups, same labels", () => {
  const first = updateOpinionMap(bg2050, null, { seed: 1 });
  const oneShot = computeOpinionMap(bg2050, { seed: 1 });
  assert.deepEqual(
    first.map.groups.map((g) => [g.id, [...g.participants].sort()]),
    oneShot.groups.map((g) => [g.id, [...g.participants].sort()]),
  );
  assert.equal(first.state.update, 1);
  assert.deepEqual(first.state.kSmoother, { lastK: oneShot.groups.length, lastKCount: 1, smoothedK: oneShot.groups.length });
});

test(`k changes only after the new best k has won ${K_SMOOTHING_UPDATES} updates in a row (Polis's group-k-buffer)`, () => {
  const winners = [3, 2, 2, 2, 3, 2, 2, 2, 2, 2];
  let smoother: KSmoother | null = null;
  const published: number[] = [];
  for (const best of winners) {
    const silhouettes = new Map([2, 3, 4].map((k) => [k, k === best ? 0.6 : 0.4]));
    smoother = smoothK(smoother, silhouettes);
    published.push(smoother!.smoothedK);
  }
  // 2 wins three times (not enough), 3 interrupts, then 2 wins four times in a row: the 4th switches
  assert.deepEqual(published, [3, 3, 3, 3, 3, 3, 3, 3, 2, 2]);
});

test("a silhouette tie goes to the larger k, as Clojure's max-key does", () => {
  assert.equal(smoothK(null, new Map([[2, 0.5], [3, 0.5]]))!.lastK, 3);
});

test("labels follow the people: groups listed in another order keep their previous labels; a new group takes a free label", () => {
  const previous = [
    { label: 0, participants: ["a", "b", "c", "d"] },
    { label: 1, participants: ["e", "f", "g"] },
  ];
  const canonical = Int32Array.from([0, 1, 2]);
  // the new clustering lists the former group 1 first, then most of group 0, then a split-off pair
  assert.deepEqual(stableLabels([["e", "f", "g", "h"], ["a", "b"], ["c", "d", "x"]], previous, canonical), [1, 0, 2]);
  // the split-off part that shares more people with group 0 keeps label 0
  assert.deepEqual(stableLabels([["a"], ["b", "c", "d"], ["e", "f", "g"]], previous, canonical), [2, 0, 1]);
});

test("the in-conversation set only grows: once clustered, a participant stays clustered with fewer votes than the rule asks", () => {
  const first = updateOpinionMap(bg2050, null, { seed: 1 });
  const clustered = new Set(first.state.inConversation);
  const someone = first.map.groups[0]!.participants[0]!;
  const fewer = { ...bg2050, inConversation: [], votes: [...bg2050.votes.filter((v) => v.participant !== someone), bg2050.votes.find((v) => v.participant === someone)!] };
  const next = updateOpinionMap(fewer, first.state, { seed: 1 });
  const fresh = updateOpinionMap(fewer, null, { seed: 1 });
  const inGroups = (groups: readonly { participants: readonly string[] }[]) => new Set(groups.flatMap((g) => g.participants));
  assert.ok(clustered.has(someone));
  assert.ok(inGroups(next.map.groups).has(someone), "kept: in the conversation at the previous update");
  assert.ok(!inGroups(fresh.map.groups).has(someone), "without the state, one vote is not enough to be clustered");
  assert.ok(first.state.inConversation.every((p) => next.state.inConversation.includes(p)));
});

test("warm-started PCA: the previous components as start need fewer passes, give the same components, keep their orientation", () => {
  const matrix = buildVoteMatrix(bg2050);
  const cold = sparsePca(matrix, 7);
  const flipped: [Float64Array, Float64Array] = [cold.components[0].map((x) => -x), cold.components[1].slice()];
  const warm = sparsePca(matrix, 8, flipped);
  assert.ok(warm.iterations < cold.iterations / 2, `warm ${warm.iterations} passes, cold ${cold.iterations}`);
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, j) => s + x * b[j]!, 0);
  assert.ok(Math.abs(dot(warm.components[0], flipped[0]) - 1) < 1e-6, "first component: the start's orientation, same direction");
  assert.ok(Math.abs(dot(warm.components[1], flipped[1]) - 1) < 1e-6);
  assert.ok(Math.abs(warm.eigenvalues[0] - cold.eigenvalues[0]) < 1e-8 * cold.eigenvalues[0]);
});

test("an update from the state of the same votes changes nothing: same groups, same labels, k kept", () => {
  const first = updateOpinionMap(bg2050, null, { seed: 1 });
  const again = updateOpinionMap(bg2050, first.state, { seed: 1 });
  assert.deepEqual(again.map.groups.map((g) => [g.id, [...g.participants].sort()]), first.map.groups.map((g) => [g.id, [...g.participants].sort()]));
  assert.equal(again.state.update, 2);
  assert.equal(again.state.kSmoother!.lastKCount, 2);
});

test("an update is due after max(20, 5%) new votes, any new vote after 10 minutes, at once on moderation or a participant gone", () => {
  const stored = { votes: 1000, computedAt: new Date("2026-01-01T00:00:00Z"), inputsDigest: "d" };
  const at = (minutes: number) => new Date(stored.computedAt.getTime() + minutes * 60_000);
  const due = (votes: number, minutes = 1, inputsDigest = "d", participantsGone = false) => updateDue(stored, { votes, inputsDigest, participantsGone, at: at(minutes) });
  assert.equal(updateDue(null, { votes: 1, inputsDigest: "d", participantsGone: false, at: at(0) }), true, "no map yet");
  assert.equal(due(1049), false, "49 new votes: below 5% of 1,000");
  assert.equal(due(1050), true, "50 new votes: 5%");
  assert.equal(updateDue({ ...stored, votes: 100 }, { votes: 119, inputsDigest: "d", participantsGone: false, at: at(1) }), false, "below the floor of 20");
  assert.equal(updateDue({ ...stored, votes: 100 }, { votes: 120, inputsDigest: "d", participantsGone: false, at: at(1) }), true);
  assert.equal(due(1001, 9), false);
  assert.equal(due(1001, 10), true, "a trickle shows after 10 minutes");
  assert.equal(due(1000, 60), false, "nothing new: no update however old");
  assert.equal(due(1000, 1, "moderated"), true);
  assert.equal(due(990, 1, "d", true), true);
});

test("a day without votes after an update: one full recompute (settleDue), not another one until new votes", () => {
  const stored = { votes: 1000, computedAt: new Date("2026-01-01T00:00:00Z"), inputsDigest: "d" };
  const after = (ms: number) => new Date(stored.computedAt.getTime() + ms);
  assert.equal(settleDue(null, { votes: 0, at: after(QUIET_RECOMPUTE_MS) }), false, "no map yet: a first update, not a recompute");
  assert.equal(settleDue(stored, { votes: 1000, at: after(QUIET_RECOMPUTE_MS - 1) }), false, "quiet for less than a day");
  assert.equal(settleDue(stored, { votes: 1000, at: after(QUIET_RECOMPUTE_MS) }), true, "quiet for a day");
  assert.equal(settleDue({ ...stored, recomputed: true }, { votes: 1000, at: after(10 * QUIET_RECOMPUTE_MS) }), false, "already recomputed");
  assert.equal(settleDue(stored, { votes: 1001, at: after(QUIET_RECOMPUTE_MS) }), false, "a new vote: a warm update is what is due");
});

test("a recompute ignores the warm state (the one-shot map's groups and a fresh k smoother) but keeps the labels and the in-conversation set", () => {
  const oneShot = computeOpinionMap(bg2050, { seed: 1 });
  const first = updateOpinionMap(bg2050, null, { seed: 1 });
  // a state whose groups are named the other way round, and whose k smoother is deep into another k
  const swapped = { ...first.state, groups: first.state.groups.map((g, i, all) => ({ ...g, label: all[all.length - 1 - i]!.label })), kSmoother: { lastK: 5, lastKCount: 9, smoothedK: 5 } };
  const recomputed = updateOpinionMap(bg2050, swapped, { seed: 1, recompute: true });
  const members = (groups: readonly { participants: readonly string[] }[]) => groups.map((g) => [...g.participants].sort()).sort();
  assert.deepEqual(members(recomputed.map.groups), members(oneShot.groups));
  assert.deepEqual(recomputed.state.kSmoother, { lastK: oneShot.groups.length, lastKCount: 1, smoothedK: oneShot.groups.length });
  assert.equal(recomputed.state.recomputed, true);
  assert.equal(recomputed.map.rule.parameters.recomputed, 1);
  for (const g of recomputed.map.groups) assert.deepEqual([...g.participants].sort(), [...swapped.groups.find((s) => s.label === g.id)!.participants].sort(), "labels follow the people");
  const warm = updateOpinionMap(bg2050, swapped, { seed: 1 });
  assert.equal(warm.map.groups.length, 5, "a warm update keeps the smoothed k of the state");
});
