/** Bridging on a planted case: a subject loved by a large camp and disliked by a small one falls below one liked by both. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runBradleyTerry } from "../../src/analytics/results/bt-rule.ts";
import { bridgingBoard, judgmentGroups } from "../../src/analytics/results/bridging.ts";
import { fitStrengths, problemFromRows } from "../../src/analytics/results/bt-problem.ts";
import { rowsOfVotes } from "../../src/analytics/results/individual-votes.ts";
import { plantedVotes, type PlantedVoter } from "./planted.ts";

const SUBJECTS = ["A", "B", "C", "D"];
// log10 strengths, each camp's centred: the large camp loves A, the small one dislikes it; both like B moderately
const LARGE = [1.0, 0.3, -0.4, -0.9];
const SMALL = [-1.0, 0.5, 0.3, 0.2];

function camps(large: number, small: number): PlantedVoter[] {
  return [
    ...Array.from({ length: large }, (_, i) => ({ key: `large-${i}`, strengths: LARGE })),
    ...Array.from({ length: small }, (_, i) => ({ key: `small-${i}`, strengths: SMALL })),
  ];
}

test("80 % / 20 % camps: raw Bradley–Terry puts A above B, the bridging board puts A below B", () => {
  const votes = plantedVotes(camps(80, 20), SUBJECTS.length, 2, 7);
  const bt = runBradleyTerry({ subjects: SUBJECTS, pairs: rowsOfVotes(votes) }, { rounds: 0, seed: 0 });
  const raw = new Map(bt.subjects.map((s) => [s.name, s.score]));
  assert.ok((raw.get("A") ?? 0) > (raw.get("B") ?? 0), `raw BT: A ${raw.get("A")} above B ${raw.get("B")}`);

  const found = judgmentGroups(votes, SUBJECTS.length, 0);
  assert.ok(found.groups.length >= 2, "at least two groups are found");
  // each group found is (almost) one camp: the grouping comes from the judgments, not from the labels
  for (const group of found.groups) {
    const large = group.filter((i) => (votes.participants[i] ?? "").startsWith("large")).length;
    assert.ok(Math.max(large, group.length - large) >= 0.9 * group.length, `a group of ${group.length} mixes the camps (${large} large)`);
  }
  const board = bridgingBoard(SUBJECTS, votes, found.groups, { rounds: 100, seed: 1 });
  assert.ok(board, "a bridging board");
  const bridged = new Map(board.subjects.map((s) => [s.name, s]));
  const a = bridged.get("A");
  const b = bridged.get("B");
  assert.ok(a && b && a.score < b.score, `bridging: A ${a?.score} below B ${b?.score}`);
  assert.ok(b.lower !== null && b.upper !== null && b.lower <= b.score && b.score <= b.upper, "B's interval holds its estimate");
  assert.ok((a.upper ?? Infinity) < (b.lower ?? -Infinity), "with 100 judges the intervals of A and B do not overlap");
  // the weakest group's view of A is the small camp's: far below B's
  const weakest = new Map(board.weakest.map((s) => [s.name, s.score]));
  assert.ok((weakest.get("A") ?? 0) < (weakest.get("B") ?? 0) - 400 * 0.5);
});

test("the two camps as given (declared groups) give the same verdict, and camps of any sizes count equally", () => {
  for (const [large, small] of [[80, 20], [95, 5], [50, 50]] as const) {
    const votes = plantedVotes(camps(large, small), SUBJECTS.length, 2, 11);
    const groups = [Array.from({ length: large }, (_, i) => i), Array.from({ length: small }, (_, i) => large + i)];
    const board = bridgingBoard(SUBJECTS, votes, groups, { rounds: 0, seed: 0 });
    const score = new Map(board?.subjects.map((s) => [s.name, s.score]) ?? []);
    // expected from the planted strengths: the mean of the two camps' strengths, A 0 and B 0.4 (log10) → 1000 and 1160
    assert.ok(Math.abs((score.get("A") ?? 0) - 1000) < 120, `${large}/${small}: A ${score.get("A")} near 1000`);
    assert.ok(Math.abs((score.get("B") ?? 0) - 1160) < 120, `${large}/${small}: B ${score.get("B")} near 1160`);
  }
});

test("one group, or a disconnected board, gives no bridging board rather than a fake one", () => {
  const votes = plantedVotes(camps(10, 0), SUBJECTS.length, 1, 3);
  assert.equal(bridgingBoard(SUBJECTS, votes, [Array.from({ length: 10 }, (_, i) => i)], { rounds: 0, seed: 0 }), null);
});

test("each group's board is Bradley–Terry on that group's own votes (both orientations, ties half each side, one prior tie a pair)", () => {
  const planted = plantedVotes(camps(14, 9), SUBJECTS.length, 3, 12);
  // some ties, and a vote on a subject pair written the other way round
  const scoreA = planted.scoreA.map((score, k) => (k % 7 === 0 ? 0.5 : score));
  const votes = { ...planted, scoreA };
  const groups = [Array.from({ length: 14 }, (_, i) => i), Array.from({ length: 9 }, (_, i) => 14 + i)];
  const board = bridgingBoard(SUBJECTS, votes, groups, { rounds: 0, seed: 0 });
  assert.ok(board);
  groups.forEach((members, g) => {
    const inGroup = new Set(members);
    const r = fitStrengths(problemFromRows(SUBJECTS.length, rowsOfVotes(votes, (p) => inGroup.has(p)), 1));
    assert.ok(r);
    for (const entry of board.groupBoards[g] ?? []) {
      const expected = 400 * (r[SUBJECTS.indexOf(entry.name)] ?? NaN) + 1000;
      assert.ok(Math.abs(entry.score - expected) < 1e-6, `group ${g}, ${entry.name}: ${entry.score} vs ${expected}`);
    }
  });
});
