/**
 * Opinion map benchmark: `node --import tsx bench/opinion.bench.ts`.
 * 1. vTaiwan (1,921 × 197): full opinion map after loading, and a dense reference (ml-pca on the
 *    densified, mean-imputed matrix) for the PCA step.
 * 2. Synthetic 100,000 participants × 2,000 statements with 5,000,000 votes: full opinion map, peak RSS.
 */
import os from "node:os";
import path from "node:path";
import { existsSync } from "node:fs";
import { PCA } from "ml-pca";
import { computeOpinionMap, computeOpinionMapFromMatrix } from "../src/analytics/opinion/map.ts";
import { buildVoteMatrix, matrixFromTriplets, type VoteMatrix } from "../src/analytics/opinion/matrix.ts";
import { sparsePca } from "../src/analytics/opinion/pca.ts";
import { seededRandom } from "../src/analytics/opinion/prng.ts";
import { readPolisExport } from "../src/connectors/polis/index.ts";
import { unpackPolisExport } from "../test/analytics/opinion/fixtures.ts";

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

function time<T>(run: () => T, repeats: number): { result: T; medianMs: number } {
  const times: number[] = [];
  let result = run();
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    result = run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { result, medianMs: times[Math.floor(times.length / 2)]! };
}

function densify(matrix: VoteMatrix, center: Float64Array): number[][] {
  return matrix.participantIds.map((_, i) => {
    const row = Array.from(center);
    for (let k = matrix.rowStart[i]!; k < matrix.rowStart[i + 1]!; k++) {
      const j = matrix.column[k]!;
      if (!matrix.moderatedOut[j]) row[j] = matrix.value[k]!;
    }
    return row;
  });
}

function vtaiwan(): void {
  const sharedData = process.env.COUNTERPUBLIC_SHARED_DATA ?? path.join(import.meta.dirname, "..", "..", "shared", "data");
  const shared = path.join(sharedData, "polis", "vtaiwan.uberx");
  const dir = existsSync(shared) ? shared : unpackPolisExport("vtaiwan.uberx");
  const conversation = readPolisExport(dir);
  const map = time(() => computeOpinionMap(conversation, { seed: 1 }), 7);
  const matrix = buildVoteMatrix(conversation);
  const sparse = time(() => sparsePca(matrix, 1), 7);
  const dense = time(() => new PCA(densify(matrix, sparse.result.center), { center: true, scale: false }), 7);
  const loadings = dense.result.getLoadings().to2DArray();
  const cos = [0, 1].map((k) => {
    const a = sparse.result.components[k as 0 | 1];
    const b = loadings[k]!;
    let dot = 0;
    for (let j = 0; j < a.length; j++) dot += a[j]! * b[j]!;
    return Math.abs(dot);
  });
  console.log(`vTaiwan (${dir === shared ? "shared data" : "fixture"}): ${matrix.participantIds.length} × ${matrix.statementIds.length}, ${matrix.value.length} votes`);
  console.log(`  full opinion map: median ${map.medianMs.toFixed(1)} ms (target ≤ 100 ms); ${map.result.groups.length} groups`);
  console.log(`  PCA step: sparse ${sparse.medianMs.toFixed(1)} ms (${sparse.result.iterations} iterations) vs dense ml-pca ${dense.medianMs.toFixed(1)} ms (densify + SVD); |cos| ${cos.map((c) => c.toFixed(9)).join(", ")}`);
}

/** 3 latent opinion groups; each participant votes on 50 distinct statements */
function syntheticMatrix(participants: number, statements: number, votesEach: number): VoteMatrix {
  const random = seededRandom(2024);
  const n = participants * votesEach;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  const vals = new Int8Array(n);
  const stance = Float64Array.from({ length: 3 * statements }, () => random() * 2 - 1);
  const chosen = new Set<number>();
  let k = 0;
  for (let i = 0; i < participants; i++) {
    const group = i % 3;
    chosen.clear();
    while (chosen.size < votesEach) chosen.add(Math.floor(random() * statements));
    for (const j of chosen) {
      const lean = stance[group * statements + j]! + (random() - 0.5);
      rows[k] = i;
      cols[k] = j;
      vals[k++] = lean > 0.25 ? 1 : lean < -0.25 ? -1 : 0;
    }
  }
  const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, x) => `${prefix}${x}`);
  return matrixFromTriplets(ids("p", participants), ids("s", statements), rows, cols, vals);
}

function synthetic(): void {
  const buildStart = performance.now();
  const matrix = syntheticMatrix(100_000, 2_000, 50);
  const buildMs = performance.now() - buildStart;
  const start = performance.now();
  const map = computeOpinionMapFromMatrix(matrix, { seed: 1 });
  const ms = performance.now() - start;
  console.log(`synthetic: 100,000 × 2,000, ${matrix.value.length.toLocaleString("en")} votes (matrix built in ${buildMs.toFixed(0)} ms)`);
  console.log(`  full opinion map: ${(ms / 1000).toFixed(2)} s (target ≤ 10 s); ${map.groups.length} groups of ${map.groups.map((g) => g.participants.length).join("/")}`);
  console.log(`  peak RSS of the process: ${peakRssMb().toFixed(0)} MB (target ≤ 2048 MB)`);
}

console.log(`machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`);
vtaiwan();
synthetic();
