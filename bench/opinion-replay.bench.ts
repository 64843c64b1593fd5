/**
 * Opinion maps that evolve (issue 17): `node --import tsx bench/opinion-replay.bench.ts [every]`.
 * Replays each Polis export's votes.csv in time order with an update every `every` (default 0.05) of its
 * votes, through the update loop (warm starts, k smoothing, stable labels, the full recompute after a
 * quiet day: always after the last vote) and, for comparison, from
 * scratch at every update (no state: what the map did before). Prints per conversation: k per update, how
 * often k changed, the ARI between consecutive maps (median, minimum), the final map's ARI against Polis's
 * exported group-id (and the last warm update's, before the recompute), PCA passes (first update vs the warm-started later ones) and
 * the time per update.
 */
import os from "node:os";
import path from "node:path";
import { existsSync } from "node:fs";
import { replayOpinionMap, replaySummary, type ReplayStep } from "../src/analytics/opinion/replay.ts";
import { againstPolis, inertia, sharedData } from "./polis-replay-support.ts";
import { readPolisGroupIds, readPolisVoteEvents } from "../src/connectors/polis/index.ts";
import { unpackPolisExport } from "../test/analytics/opinion/fixtures.ts";

const every = Number(process.argv[2] ?? 0.05);
const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function describe(label: string, steps: readonly ReplayStep[], polis: ReadonlyMap<string, string>, ms: number): void {
  const summary = replaySummary(steps);
  const agreement = summary.agreement.filter((a): a is number => a !== null);
  const passes = steps.map((s) => s.map.rule.parameters.pcaIterations ?? NaN);
  console.log(
    `  ${label}: k ${steps.map((s) => s.map.groups.length).join(" ")}; k changed ${summary.kChanges}×; consecutive ARI median ${median(agreement).toFixed(3)}, min ${Math.min(...agreement).toFixed(3)}; final vs Polis ${againstPolis(steps.at(-1)!.map, polis).toFixed(3)}${steps.some((s) => s.recomputed) ? ` (last warm update ${againstPolis(steps.filter((s) => !s.recomputed).at(-1)!.map, polis).toFixed(3)}, inertia ${inertia(steps.filter((s) => !s.recomputed).at(-1)!.map).toFixed(1)} vs recomputed ${inertia(steps.at(-1)!.map).toFixed(1)}; ${steps.filter((s) => s.recomputed).length} recompute)` : ""}; ${(ms / steps.length).toFixed(0)} ms per update${label === "update loop" ? `; PCA passes first ${passes[0]}, later median ${median(passes.slice(1))}` : ""}`,
  );
}

function conversation(name: string): void {
  const shared = path.join(sharedData, "polis", name);
  const dir = existsSync(path.join(shared, "votes.csv")) ? shared : unpackPolisExport(name);
  const { conversation: c, events } = readPolisVoteEvents(dir);
  const input = { statements: c.statements, participants: c.participants, events, statementTimes: c.statements.map((s) => s.createdAt ?? 0) };
  const polis = readPolisGroupIds(dir);
  console.log(`${name} (${dir === shared ? "shared data" : "fixture"}): ${events.length} vote events, ${c.participants.length} participants, an update every ${every} of the votes`);
  let start = performance.now();
  const loop = replayOpinionMap(input, every, { seed: 0 });
  describe("update loop", loop, polis, performance.now() - start);
  start = performance.now();
  const scratch = replayOpinionMap(input, every, { seed: 0, fromScratch: true });
  describe("from scratch", scratch, polis, performance.now() - start);
}

console.log(`machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")}`);
for (const name of ["vtaiwan.uberx", "scoop-hivemind.biodiversity", "bg2050-volunteers"]) conversation(name);
