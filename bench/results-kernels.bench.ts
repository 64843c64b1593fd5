/**
 * The numerical kernels of a cold public results page at 1,000,000 judgments, on a synthetic evaluation built here:
 * 100 subjects with Bradley–Terry strengths 0.0215 log10 apart (≈ 8.6 rating points, as the 1M-judgment scale
 * data), pairs drawn uniformly, 10 % ties and 2 % both_bad, 2,000 participants in 5 communities whose strengths
 * differ a little. Times the worker's rules on the whole evaluation (Elo with its 10 random orders, ranked pairs,
 * Borda, win rate, counting), each community's view (sandwich Bradley–Terry and the simple rules), and the
 * beyond-Arena pass (5 community slices with sandwich boards, manipulation costs for 99 neighbour pairs and the
 * last into the top tier; individual votes not read, as above 200,000). Cold = first call in this process.
 * Run: node --import tsx bench/results-kernels.bench.ts
 */
import os from "node:os";
import { runBeyondArena } from "../src/analytics/results/beyond-arena.ts";
import { manipulationCosts } from "../src/analytics/results/manipulation-cost.ts";
import { collapseCounted } from "../src/analytics/results/pairs.ts";
import { runRules } from "../src/analytics/results/run.ts";
import { sliceBoards, type SliceInput } from "../src/analytics/results/slices.ts";
import type { PairRow, ResultsInput } from "../src/analytics/results/types.ts";
import { createRng } from "../src/analytics/rng.ts";
import type { PairwiseOutcome } from "../src/core/judgment.ts";

const SUBJECTS = 100;
const JUDGMENTS = 1_000_000;
const PARTICIPANTS = 2_000;
const COMMUNITIES = 5;
const SEED = 217_185;

function evaluation() {
  const rng = createRng(7);
  const strengths = Array.from({ length: SUBJECTS }, (_, i) => (i - (SUBJECTS - 1) / 2) * 0.0215);
  const tilt = Array.from({ length: COMMUNITIES }, () => strengths.map((r) => r + (rng.next() - 0.5) * 0.05));
  const subjects = Array.from({ length: SUBJECTS }, (_, i) => `model-${i}`);
  const a = new Int32Array(JUDGMENTS);
  const b = new Int32Array(JUDGMENTS);
  const scoreA = new Float64Array(JUDGMENTS);
  // counts per (community, ordered pair, outcome): 0 a, 1 b, 2 tie, 3 both_bad
  const counts = new Float64Array(COMMUNITIES * SUBJECTS * SUBJECTS * 4);
  for (let k = 0; k < JUDGMENTS; k++) {
    const x = Math.floor(rng.next() * SUBJECTS);
    const y = (x + 1 + Math.floor(rng.next() * (SUBJECTS - 1))) % SUBJECTS;
    const community = Math.floor(rng.next() * PARTICIPANTS) % COMMUNITIES;
    const r = tilt[community] as number[];
    const u = rng.next();
    const p = 1 / (1 + Math.pow(10, (r[y] ?? 0) - (r[x] ?? 0)));
    const outcome = u < 0.1 ? 2 : u < 0.12 ? 3 : rng.next() < p ? 0 : 1;
    a[k] = x;
    b[k] = y;
    scoreA[k] = outcome === 0 ? 1 : outcome === 1 ? 0 : 0.5;
    const cell = ((community * SUBJECTS + x) * SUBJECTS + y) * 4 + outcome;
    counts[cell] = (counts[cell] ?? 0) + 1;
  }
  const OUTCOMES: PairwiseOutcome[] = ["a", "b", "tie", "both_bad"];
  const rowsOf = (community: number): PairRow[] => {
    const counted = [];
    for (let x = 0; x < SUBJECTS; x++) {
      for (let y = 0; y < SUBJECTS; y++) {
        for (let o = 0; o < 4; o++) {
          const count = counts[((community * SUBJECTS + x) * SUBJECTS + y) * 4 + o] ?? 0;
          if (count > 0) counted.push({ a: x, b: y, outcome: OUTCOMES[o] as PairwiseOutcome, count });
        }
      }
    }
    return collapseCounted(counted);
  };
  const communityRows = Array.from({ length: COMMUNITIES }, (_, c) => rowsOf(c));
  const pairs = collapseCounted(communityRows.flatMap((rows) => rows.flatMap((row) => [
    { a: row.a, b: row.b, outcome: "a" as const, count: row.winsA },
    { a: row.a, b: row.b, outcome: "b" as const, count: row.winsB },
    { a: row.a, b: row.b, outcome: "tie" as const, count: row.ties },
    { a: row.a, b: row.b, outcome: "both_bad" as const, count: row.bothBad },
  ])));
  const whole: ResultsInput = { subjects, pairs, sequence: { a, b, scoreA } };
  return { subjects, whole, communityRows };
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

interface Timing {
  readonly name: string;
  readonly coldWall: number;
  readonly coldCpu: number;
  readonly warmWall: number;
  readonly warmCpu: number;
}

/** The first call (cold), then the median wall and CPU times of three more. */
function timed(name: string, work: () => unknown): Timing {
  let started = performance.now();
  const cpu = cpuMs();
  work();
  const coldWall = performance.now() - started;
  const coldCpu = cpuMs() - cpu;
  const wall: number[] = [];
  const used: number[] = [];
  for (let run = 0; run < 3; run++) {
    started = performance.now();
    const before = cpuMs();
    work();
    wall.push(performance.now() - started);
    used.push(cpuMs() - before);
  }
  const median = (values: number[]) => values.sort((x, y) => x - y)[1] ?? NaN;
  return { name, coldWall, coldCpu, warmWall: median(wall), warmCpu: median(used) };
}

const built = performance.now();
const { subjects, whole, communityRows } = evaluation();
const buildMs = performance.now() - built;
const bt = runRules({ subjects, pairs: whole.pairs }, { rules: ["bt"], intervals: "sandwich", seed: SEED })[0] ?? null;
const slices: SliceInput[] = communityRows.map((rows, c) => ({ dimension: "community", key: `c${c}`, contributors: PARTICIPANTS / COMMUNITIES, rows }));
const beyond = { subjects, pairs: whole.pairs, bt, k: 10, rounds: 1000, seed: SEED, slices, votes: null, votesMissing: "more than 200,000 votes", leaks: [], joins: [] };
const topTier = (bt?.subjects ?? []).filter((s) => s.rank === 1).map((s) => s.name);
const VIEW_RULES = ["bt", "borda", "ranked-pairs", "win-rate", "counting"];

const timings: Timing[] = [
  timed("elo (1 order + 10 random orders)", () => runRules(whole, { rules: ["elo"], seed: SEED })),
  timed("ranked-pairs", () => runRules(whole, { rules: ["ranked-pairs"], seed: SEED })),
  timed("borda", () => runRules(whole, { rules: ["borda"], seed: SEED })),
  timed("win-rate + counting", () => runRules(whole, { rules: ["win-rate", "counting"], seed: SEED })),
  ...communityRows.map((rows, c) => timed(`community c${c} view (bt sandwich, borda, ranked-pairs, win-rate, counting)`, () => runRules({ subjects, pairs: rows }, { rules: VIEW_RULES, intervals: "sandwich", seed: SEED }))),
  timed("beyond: slices (5 sandwich boards)", () => sliceBoards(subjects, slices, { k: 10, rounds: 200, seed: SEED, overall: bt, intervals: "sandwich" })),
  timed("beyond: manipulation costs (99 pairs + top tier)", () => manipulationCosts(subjects, whole.pairs, { topTier })),
  timed("beyond (whole pass)", () => runBeyondArena(beyond)),
];

const rows = whole.pairs.reduce((sum, row) => sum + row.winsA + row.winsB + row.ties + row.bothBad, 0);
console.log(`machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}, Node ${process.version}, ${new Date().toISOString()}`);
console.log(`input: ${SUBJECTS} subjects, ${rows.toLocaleString("en")} judgments in ${whole.pairs.length} pair rows, ${COMMUNITIES} communities (${communityRows.map((r) => r.length).join("/")} rows); built in ${buildMs.toFixed(0)} ms`);
console.log("kernel | cold wall ms | cold CPU ms | warm wall ms | warm CPU ms (warm: median of 3)");
for (const t of timings) console.log(`${t.name} | ${t.coldWall.toFixed(0)} | ${t.coldCpu.toFixed(0)} | ${t.warmWall.toFixed(0)} | ${t.warmCpu.toFixed(0)}`);
