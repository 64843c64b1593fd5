/** Elo (and the counting rules) on a worker thread beside Bradley–Terry: the same results, order and errors as runRules. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { runRules } from "../../src/analytics/results/run.ts";
import { ResultsError } from "../../src/analytics/results/types.ts";
import { runRulesBesideElo } from "../../src/cli/rules-beside-elo.ts";
import { readDataset } from "../../src/connectors/formats/index.ts";

const ARENA = "test/fixtures/arena/chatbotarena_20240814_pairs.json";
const dataset = await readDataset(ARENA, "arena-pairs");
if (dataset.kind !== "pairwise") throw new Error("the Arena pairs are pairwise");
const { input } = dataset;

for (const rules of [undefined, ["elo", "borda"], ["counting", "elo", "bt", "ranked-pairs"]] as const) {
  test(`the Arena pairs (1.67 M judgments), rules ${rules?.join(", ") ?? "all"}: the threaded run equals the plain run`, async () => {
    const options = { ...(rules ? { rules: [...rules] } : {}), rounds: 20, seed: 3 };
    const threaded = await runRulesBesideElo(input, options);
    assert.deepEqual(threaded, runRules(input, options));
    assert.deepEqual(threaded.map((r) => r.rule), rules ?? ["bt", "elo", "borda", "ranked-pairs", "win-rate", "counting"]);
  });
}

test("a refusal is the plain run's error: an anchor that names no subject, a negative rounds", async () => {
  for (const options of [{ anchor: { name: "nobody", value: 1000 }, rounds: 5 }, { rounds: -1 }]) {
    const expected = (() => {
      try {
        runRules(input, options);
      } catch (error) {
        return error;
      }
      return null;
    })();
    assert.ok(expected instanceof ResultsError);
    await assert.rejects(runRulesBesideElo(input, options), (error) => error instanceof ResultsError && error.message === expected.message && error.code === expected.code);
  }
});

// needs `npm run build:server`, as every test that spawns the CLI
test("the built CLI prints the same board with the thread and exits by itself (code 0)", () => {
  const run = spawnSync(process.execPath, ["bin/counterpublic.js", "analyze", ARENA, "--format", "arena-pairs", "--rounds", "20", "--seed", "3", "--json"], { encoding: "utf8", maxBuffer: 64 * 2 ** 20, timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  const printed = JSON.parse(run.stdout) as { results: unknown };
  assert.deepEqual(printed.results, JSON.parse(JSON.stringify(runRules(input, { rounds: 20, seed: 3 }))));
});
