/** Runs every benchmark in turn (each in its own process, so memory figures stay separate). */
import { spawnSync } from "node:child_process";

const BENCHES = ["bench/results.bench.ts", "bench/style-speed.bench.ts", "bench/fastchat-file.bench.ts", "bench/opinion.bench.ts", "bench/opinion-replay.bench.ts", "bench/refresh.bench.ts", "bench/judging-load.bench.ts", "bench/scale.bench.ts", "bench/web-bundle.ts", "bench/cli-start.bench.ts"];
let failed = 0;
for (const bench of BENCHES) {
  process.stdout.write(`\n## ${bench}\n`);
  const result = spawnSync(process.execPath, ["--import", "tsx", bench], { stdio: "inherit" });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
