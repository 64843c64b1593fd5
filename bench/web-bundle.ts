/**
 * Builds the web app and prints, for each page, the gzipped JavaScript it loads: the entry, the page's
 * chunk, their static imports, and the English catalog. The participant judging page must stay ≤ 100 KB.
 * Run: node --import tsx bench/web-bundle.ts
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "web-dist");
const BUDGET_KB = 100;
const PAGES: Record<string, string> = {
  home: "join/home-page.tsx",
  join: "join/join-page.tsx",
  judge: "judge/judge-page.tsx",
  deliberate: "deliberate/deliberate-page.tsx",
  govern: "govern/govern-page.tsx",
  "my-data": "my-data/my-data-page.tsx",
  organise: "organise/organise-page.tsx",
  "organise/new": "organise/new-evaluation-page.tsx",
  "organise/manage": "organise/manage-page.tsx",
  results: "results/results-page.tsx",
};

function build(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--config", "src/web/vite.config.ts"], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stderr}`);
}

function gzippedBytes(file: string): number {
  return gzipSync(readFileSync(path.join(DIST, file)), { level: 9 }).length;
}

/** The key and its static imports, transitively. */
function closure(manifest: Record<string, ManifestChunk>, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key) || !manifest[key]) return seen;
  seen.add(key);
  for (const imported of manifest[key]?.imports ?? []) closure(manifest, imported, seen);
  return seen;
}

function main(): void {
  build();
  const manifest = JSON.parse(readFileSync(path.join(DIST, ".vite/manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  if (!entry) throw new Error("no entry in the Vite manifest");
  const base = closure(manifest, entry);
  closure(manifest, "lib/locales/en/index.ts", base);
  const rows: { page: string; chunks: number; kb: number }[] = [];
  for (const [page, source] of Object.entries(PAGES)) {
    const keys = closure(manifest, source, new Set(base));
    const files = [...keys].map((key) => manifest[key]?.file).filter((file): file is string => Boolean(file?.endsWith(".js")));
    const bytes = files.reduce((sum, file) => sum + gzippedBytes(file), 0);
    rows.push({ page, chunks: files.length, kb: bytes / 1024 });
  }
  const plot = Object.entries(manifest).find(([key]) => key.includes("@observablehq/plot"))?.[1];
  process.stdout.write("page              chunks  gzipped JS\n");
  for (const row of rows) process.stdout.write(`${row.page.padEnd(18)}${String(row.chunks).padStart(6)}  ${row.kb.toFixed(1).padStart(7)} KB\n`);
  if (plot) process.stdout.write(`results plot (lazy, loaded after the page): ${(gzippedBytes(plot.file) / 1024).toFixed(1)} KB\n`);
  const judge = rows.find((row) => row.page === "judge");
  if (!judge || judge.kb > BUDGET_KB) {
    process.stdout.write(`FAIL: the judging page loads ${judge?.kb.toFixed(1)} KB (budget ${BUDGET_KB} KB)\n`);
    process.exitCode = 1;
  } else process.stdout.write(`ok: the judging page loads ${judge.kb.toFixed(1)} KB of ${BUDGET_KB} KB\n`);
}

main();
