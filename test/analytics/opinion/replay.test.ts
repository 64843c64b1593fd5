/**
 * `opinion <polis-export-dir> --replay`: the export's votes.csv fed in time order through the update loop.
 * The figures are computed here from the printed JSON (group members by the export's own ids), not taken
 * from the command's own summary.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { adjustedRandIndex } from "../../../src/analytics/opinion/ari.ts";
import { computeOpinionMap } from "../../../src/analytics/opinion/map.ts";
import { replayCheckpoints } from "../../../src/analytics/opinion/replay.ts";
import { runOpinion, type ReplayReport } from "../../../src/cli/opinion.ts";
import { readPolisExport, readPolisGroupIds } from "../../../src/connectors/polis/index.ts";
import { unpackPolisExport } from "./fixtures.ts";

type Groups = readonly { id: number; participants: readonly string[] }[];

function ari(a: Groups, b: Groups | ReadonlyMap<string, string>): number {
  const left = new Map(a.flatMap((g) => g.participants.map((p) => [p, String(g.id)] as const)));
  const right = b instanceof Map ? b : new Map((b as Groups).flatMap((g) => g.participants.map((p) => [p, String(g.id)] as const)));
  const common = [...left.keys()].filter((p) => right.has(p));
  return adjustedRandIndex(common.map((p) => left.get(p)!), common.map((p) => right.get(p)!));
}

function replay(dir: string, every: string): ReplayReport {
  const outcome = runOpinion(dir, { replay: true, every, json: true });
  assert.equal(outcome.exitCode, 0, outcome.stderr);
  return JSON.parse(outcome.stdout) as ReplayReport;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

test("vTaiwan replayed with an update every 5% of its votes: k changes at most twice, consecutive maps agree (median ARI ≥ 0.9)", (t) => {
  const dir = unpackPolisExport("vtaiwan.uberx");
  const report = replay(dir, "0.05");
  const events = readFileSync(path.join(dir, "votes.csv"), "utf8").trim().split("\n").length - 1;
  // 20 warm updates, then the recompute once the conversation is quiet (nothing follows the last vote)
  assert.equal(report.updates.length, 21);
  assert.deepEqual(report.updates.map((u) => u.votes), [...replayCheckpoints(events, 0.05), events]);
  assert.deepEqual(report.updates.map((u) => u.recomputed), [...new Array<boolean>(20).fill(false), true]);
  const ks = report.updates.map((u) => u.groups.length);
  const changes = ks.slice(1).filter((k, i) => k !== ks[i]).length;
  const agreement = report.updates.slice(1).map((u, i) => ari(report.updates[i]!.groups, u.groups));
  const polis = readPolisGroupIds(dir);
  const final = ari(report.final.groups, polis);
  t.diagnostic(`k per update ${ks.join(" ")}; ${changes} changes; consecutive ARI median ${median(agreement).toFixed(3)}, min ${Math.min(...agreement).toFixed(3)}; final map vs Polis's export ARI ${final.toFixed(3)}`);
  assert.ok(changes <= 2, `k changed ${changes} times`);
  assert.ok(median(agreement) >= 0.9, `median ARI ${median(agreement)}`);
  // every group lists the export's own participant ids
  const known = new Set(readPolisExport(dir).participants);
  assert.ok(report.updates.every((u) => u.groups.every((g) => g.participants.every((p) => known.has(p)))));
  const oneShot = ari(computeOpinionMap(readPolisExport(dir), { seed: 0 }).groups, polis);
  assert.ok(oneShot >= 0.928, `one-shot ARI ${oneShot}`);
  assert.ok(final >= oneShot - 1e-12, `replayed final ${final} < one-shot ${oneShot}`);
});

test("scoop-hivemind.biodiversity replayed (every 5%): the final map agrees with Polis's groups at least as well as the one-shot map", (t) => {
  const dir = unpackPolisExport("scoop-hivemind.biodiversity");
  const polis = readPolisGroupIds(dir);
  const replayed = ari(replay(dir, "0.05").final.groups, polis);
  const oneShot = ari(computeOpinionMap(readPolisExport(dir), { seed: 0 }).groups, polis);
  t.diagnostic(`ARI against Polis's group-id: replay ${replayed.toFixed(4)}, one-shot ${oneShot.toFixed(4)}`);
  assert.ok(oneShot >= 0.988);
  assert.ok(replayed >= oneShot - 1e-12, `replay ${replayed} < one-shot ${oneShot}`);
});

test("bg2050: the replayed final map is Polis's export exactly (ARI 1), in one update and every 5%; the warm updates before the recompute are not", (t) => {
  const dir = unpackPolisExport("bg2050-volunteers");
  const polis = readPolisGroupIds(dir);
  const single = replay(dir, "1");
  assert.equal(single.updates.length, 2, "one warm update, then the recompute of the quiet conversation");
  assert.equal(ari(single.final.groups, polis), 1);
  const steady = replay(dir, "0.05");
  const lastWarm = steady.updates.at(-2)!;
  t.diagnostic(`every 5%: k ${steady.updates.map((u) => u.k).join(" ")}; last warm update vs Polis ARI ${ari(lastWarm.groups, polis).toFixed(3)}; final (recomputed) ${ari(steady.final.groups, polis).toFixed(3)}`);
  assert.equal(ari(steady.final.groups, polis), 1);
  assert.equal(steady.updates.at(-1)!.recomputed, true);
  // the warm k-means stays where the sparser early maps put it (Polis's live rules alone do not reach its export)
  assert.ok(ari(lastWarm.groups, polis) < 0.9, `last warm update ARI ${ari(lastWarm.groups, polis)}`);
});

test("--replay needs votes.csv; --every must be a share in (0, 1] and belongs to --replay", () => {
  const dir = unpackPolisExport("bg2050-volunteers");
  for (const every of ["0", "1.5", "x"]) {
    const outcome = runOpinion(dir, { replay: true, every, json: true });
    assert.equal(outcome.exitCode, 2);
    assert.match(outcome.stderr, /^error: --every must be a share of the votes in \(0, 1\]/);
  }
  assert.match(runOpinion(dir, { every: "0.1" }).stderr, /^error: --every is an option of --replay\n$/);
  const matrixOnly = unpackPolisExport("vtaiwan.uberx");
  rmSync(path.join(matrixOnly, "votes.csv"));
  const outcome = runOpinion(matrixOnly, { replay: true });
  assert.equal(outcome.exitCode, 2);
  assert.match(outcome.stderr, /a replay needs votes\.csv/);
});
