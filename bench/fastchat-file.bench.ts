/**
 * Reading a FastChat battle dump the size of Arena's public one from disk: the 1,670,250 battles of the
 * Arena 2024-08-14 pair counts expanded into battle records (with the metadata fields a real dump carries),
 * about 1 GB, then streamed and fitted (Bradley–Terry, 100 bootstrap rounds).
 * Run: node --import tsx bench/fastchat-file.bench.ts
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runRules } from "../src/analytics/results/run.ts";
import { readDataset } from "../src/connectors/formats/index.ts";

const PAIRS = fileURLToPath(new URL("../test/fixtures/arena/chatbotarena_20240814_pairs.json", import.meta.url));
const WINNERS = ["model_a", "model_b", "tie", "tie (bothbad)"];

async function writeDump(file: string): Promise<number> {
  const d = JSON.parse(readFileSync(PAIRS, "utf8")) as { models: string[]; X: [number, number][]; Y: number[][] };
  const out = createWriteStream(file);
  let n = 0;
  out.write("[");
  for (const [k, [i, j]] of d.X.entries()) {
    for (const [w, count] of (d.Y[k] ?? []).entries()) {
      for (let c = 0; c < count; c++) {
        const record = { model_a: d.models[i], model_b: d.models[j], winner: WINNERS[w], judge: `arena_user_${n % 50000}`, turn: 1, anony: true, language: "English", tstamp: 1_700_000_000 + n, is_code: false };
        if (!out.write(`${n ? "," : ""}${JSON.stringify(record)}`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
        n += 1;
      }
    }
  }
  out.end("]");
  await new Promise<void>((resolve) => out.on("finish", () => resolve()));
  return n;
}

const dir = mkdtempSync(path.join(os.tmpdir(), "counterpublic-fastchat-"));
const file = path.join(dir, "battles.json");
try {
  const written = await writeDump(file);
  const start = performance.now();
  const dataset = await readDataset(file, "fastchat");
  const read = performance.now() - start;
  if (dataset.kind !== "pairwise") throw new Error("not pairwise");
  const fitStart = performance.now();
  const [bt] = runRules(dataset.input, { rules: ["bt"], rounds: 100, anchor: { name: "mixtral-8x7b-instruct-v0.1", value: 1114 } });
  const fit = performance.now() - fitStart;
  console.log(`machine: ${os.cpus()[0]?.model ?? "?"}, ${os.cpus().length} cores, node ${process.version}`);
  console.log(`file: ${written.toLocaleString("en")} battles, ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`);
  console.log(`streamed and validated in ${(read / 1000).toFixed(1)} s; Bradley–Terry + 100 rounds in ${(fit / 1000).toFixed(1)} s`);
  console.log(`first: ${bt?.subjects[0]?.name} at ${bt?.subjects[0]?.score.toFixed(1)}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
