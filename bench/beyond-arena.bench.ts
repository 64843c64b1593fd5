/**
 * The beyond-Arena analyses: the cost to manipulate every rank on the Chatbot Arena file (129 models, 3,460
 * pairs), and bridging + the sequential outlier test + boards per slice on planted voters (200,000 votes, the
 * most the results service reads individually). Run: node --import tsx bench/beyond-arena.bench.ts
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { runBeyondArena } from "../src/analytics/results/beyond-arena.ts";
import { runBradleyTerry } from "../src/analytics/results/bt-rule.ts";
import { rowsOfVotes } from "../src/analytics/results/individual-votes.ts";
import { manipulationCosts } from "../src/analytics/results/manipulation-cost.ts";
import { parseDataset } from "../src/connectors/formats/index.ts";
import { plantedVotes } from "../test/analytics/planted.ts";

const FILE = fileURLToPath(new URL("../test/fixtures/arena/chatbotarena_20240814_pairs.json", import.meta.url));

const arena = parseDataset("arena-pairs", readFileSync(FILE, "utf8"));
if (arena.kind !== "pairwise") throw new Error("the Arena file is pairwise");
const { subjects, pairs } = arena.input;
const bt = runBradleyTerry(arena.input, { rounds: 0, seed: 0, intervals: "sandwich" });
let start = performance.now();
let cpu = process.cpuUsage();
const costs = manipulationCosts(subjects, pairs, { topTier: bt.subjects.filter((s) => s.rank === 1).map((s) => s.name) });
const manipulationMs = performance.now() - start;
const manipulationCpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
const cheapest = [...(costs?.pairs ?? [])].filter((p) => p.votes !== null).sort((x, y) => (x.votes ?? 0) - (y.votes ?? 0));
const median = cheapest[Math.floor(cheapest.length / 2)];

// 20 subjects; 2,000 voters in two camps (80 % / 20 %) and 20 random voters, 100 votes each (≈ 200,000 votes)
const camp = (s: number) => Array.from({ length: 20 }, (_, i) => (s === 0 ? 1 - i / 10 : Math.abs(i - 10) / 10 - 0.5));
const voters = [
  ...Array.from({ length: 1600 }, (_, i) => ({ key: `l${i}`, strengths: camp(0) })),
  ...Array.from({ length: 400 }, (_, i) => ({ key: `s${i}`, strengths: camp(1) })),
  ...Array.from({ length: 20 }, (_, i) => ({ key: `r${i}`, strengths: null })),
];
const pool = plantedVotes(voters, 20, 1, 1); // every voter judges all 190 pairs once: keep the first 100 of each
const keep: number[] = [];
const seen = new Int32Array(voters.length);
for (let k = 0; k < pool.who.length; k++) {
  const who = pool.who[k] ?? 0;
  seen[who] = (seen[who] ?? 0) + 1;
  if ((seen[who] ?? 0) <= 100) keep.push(k);
}
const votes = { participants: pool.participants, who: Int32Array.from(keep, (k) => pool.who[k] ?? 0), a: Int32Array.from(keep, (k) => pool.a[k] ?? 0), b: Int32Array.from(keep, (k) => pool.b[k] ?? 0), scoreA: Float64Array.from(keep, (k) => pool.scoreA[k] ?? 0) };
const names = Array.from({ length: 20 }, (_, i) => `m${i}`);
const votePairs = rowsOfVotes(votes);
const plantedBt = runBradleyTerry({ subjects: names, pairs: votePairs }, { rounds: 0, seed: 0, intervals: "sandwich" });
start = performance.now();
cpu = process.cpuUsage();
const out = runBeyondArena({ subjects: names, pairs: votePairs, bt: plantedBt, k: 10, rounds: 200, seed: 0, slices: [], votes, leaks: [], joins: [] });
const beyondMs = performance.now() - start;
const beyondCpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;

console.log(`machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}, Node ${process.version}`);
console.log(`manipulation cost, Arena (129 models, 128 neighbour pairs + last into top tier): ${manipulationMs.toFixed(0)} ms wall, ${manipulationCpuMs.toFixed(0)} ms CPU; median cost ${median?.votes} votes (${median?.lower} over ${median?.upper}); cheapest ${cheapest[0]?.votes} (${cheapest[0]?.lower} over ${cheapest[0]?.upper}); last into top tier ${costs?.intoTopTier?.votes}`);
console.log(`bridging (200 rounds) + outlier test + manipulation, ${votes.who.length} planted votes, 20 subjects, ${voters.length} voters: ${beyondMs.toFixed(0)} ms wall, ${beyondCpuMs.toFixed(0)} ms CPU; groups ${out.bridging.groups.map((g) => g.participants).join("/")}; random voters flagged ${out.anomalies.flagged.filter((f) => f.participant.startsWith("r")).length}/20, large camp flagged ${out.anomalies.flagged.filter((f) => f.participant.startsWith("l")).length}/1600, small camp flagged ${out.anomalies.flagged.filter((f) => f.participant.startsWith("s")).length}/400; also within their own group: random ${out.anomalies.flagged.filter((f) => f.participant.startsWith("r") && f.alsoWithinGroup).length}, camps ${out.anomalies.flagged.filter((f) => !f.participant.startsWith("r") && f.alsoWithinGroup).length}`);
