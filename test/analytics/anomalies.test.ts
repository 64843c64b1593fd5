/** The sequential outlier test on a planted random voter, and bursts through one invitation. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { invitationBursts, sequentialOutliers } from "../../src/analytics/results/anomalies.ts";
import { fitStrengths, problemFromRows } from "../../src/analytics/results/bt-problem.ts";
import { rowsOfVotes } from "../../src/analytics/results/individual-votes.ts";
import { plantedVotes } from "./planted.ts";

const STRENGTHS = [1.2, 0.6, 0, -0.6, -1.2];

test("a planted random voter is flagged; honest voters rarely are (at most α each)", () => {
  let randomFlagged = 0;
  let honestFlagged = 0;
  let honestChecked = 0;
  for (let seed = 1; seed <= 10; seed++) {
    const voters = [...Array.from({ length: 40 }, (_, i) => ({ key: `honest-${i}`, strengths: STRENGTHS })), { key: "random", strengths: null }];
    const votes = plantedVotes(voters, STRENGTHS.length, 3, seed);
    const fitted = fitStrengths(problemFromRows(STRENGTHS.length, rowsOfVotes(votes)));
    assert.ok(fitted);
    const checks = sequentialOutliers(votes, fitted);
    const random = checks.find((c) => c.participant === "random");
    assert.ok(random && random.decisiveVotes === 30, "the random voter's 30 votes are all tested");
    if (random.flagged) randomFlagged += 1;
    const honest = checks.filter((c) => c.participant !== "random");
    honestChecked += honest.length;
    honestFlagged += honest.filter((c) => c.flagged).length;
  }
  assert.ok(randomFlagged >= 8, `the random voter is flagged in ${randomFlagged} of 10 runs`);
  // Ville's inequality bounds each honest voter's chance of a flag by α = 0.05 (the fitted model is close to the truth)
  assert.ok(honestFlagged <= 0.05 * honestChecked, `${honestFlagged} of ${honestChecked} honest voters flagged`);
});

test("participants with fewer than 5 decisive votes are not tested; a flag is never raised before the 5th vote", () => {
  const votes = { participants: ["few", "contrarian"], who: Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]), a: new Int32Array(10), b: new Int32Array(10).fill(1), scoreA: new Float64Array(10) };
  // subject 0 is far stronger: p = 1/(1 + 10^-2) ≈ 0.99, so each upset multiplies by 1/(2·0.0099) ≈ 50.5 (> 20 at once)
  const checks = sequentialOutliers(votes, [1, -1]);
  assert.deepEqual(checks.map((c) => c.participant), ["contrarian"]);
  assert.equal(checks[0]?.flagged, true);
  assert.equal(checks[0]?.at, 5, "crossed on the first vote but flagged only at the 5th");
});

test("bursts: ten joins through one link within ten minutes are a burst; spread out they are not", () => {
  const minute = 60_000;
  const burst = Array.from({ length: 10 }, (_, i) => ({ participant: `b${i}`, invitation: "link-1", at: i * minute }));
  const spread = Array.from({ length: 10 }, (_, i) => ({ participant: `s${i}`, invitation: "link-2", at: i * 30 * minute }));
  const found = invitationBursts([...burst, ...spread]);
  assert.deepEqual(found.map((b) => [b.invitation, b.joins]), [["link-1", 10]]);
  assert.equal(found[0]?.participants.length, 10);
});
