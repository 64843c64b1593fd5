import type { Command } from "commander";
import { formatRuleResult, formatSensitivity } from "./analyze-format.ts";
import { computeResults } from "../modules/results/service.ts";
import { NOBODY } from "../platform/guards.ts";
import { BT_INTERVAL_METHODS, type BtIntervalMethod } from "../analytics/results/types.ts";
import { MAX_ANCHOR, parseAnchor } from "../core/anchor.ts";
import { bootstrapOptionProblem } from "../core/bootstrap-budget.ts";
import { runCommand, UsageError } from "./io.ts";
import { DATA_DIR_DEFAULT_NOTE, openRuntime } from "./runtime.ts";

export function register(program: Command): void {
  program
    .command("results <evaluation>")
    .description("results of a stored evaluation under every rule, side by side (as the public sees them)")
    .option("--rule <rules>", "comma-separated: bt, elo, borda, ranked-pairs, win-rate, counting")
    .option("--by <slice>", "group view: community")
    .option("--anchor <NAME=VALUE>", "report ratings so that NAME has VALUE (default: mean 1000)")
    .option("--intervals <method>", "Bradley–Terry intervals: bootstrap (default) or sandwich (closed form)")
    .option("--rounds <n>", "bootstrap rounds", "1000")
    .option("--seed <n>", "random seed", "0")
    .option("--json", "machine-readable output", false)
    .option("--data-dir <dir>", "embedded PostgreSQL data folder" + DATA_DIR_DEFAULT_NOTE)
    .action((evaluation: string, opts: { rule?: string; by?: string; anchor?: string; intervals?: string; rounds: string; seed: string; json: boolean; dataDir?: string }) =>
      runCommand(async () => {
        if (opts.by !== undefined && opts.by !== "community") throw new UsageError("--by takes community");
        const rounds = Number(opts.rounds);
        const seed = Number(opts.seed);
        // the API's own bounds (routes/results.ts): more rounds only took longer, past any use, with no way to stop but a signal
        const bound = bootstrapOptionProblem("rounds", rounds) ?? bootstrapOptionProblem("seed", seed);
        if (bound) throw new UsageError(bound);
        const anchor = opts.anchor ? parseAnchor(opts.anchor) : undefined;
        if (anchor === null) throw new UsageError(`--anchor takes NAME=VALUE with |VALUE| ≤ ${MAX_ANCHOR}, e.g. GPT 4=1200`);
        if (opts.intervals !== undefined && !(BT_INTERVAL_METHODS as readonly string[]).includes(opts.intervals)) throw new UsageError(`--intervals takes ${BT_INTERVAL_METHODS.join(" or ")}`);
        const runtime = await openRuntime({ dataDir: opts.dataDir });
        try {
          const results = await computeResults({ pool: runtime.pool }, NOBODY, evaluation, {
            ...(opts.rule ? { rules: opts.rule.split(",") } : {}),
            ...(opts.by ? { by: "community" as const } : {}),
            ...(anchor ? { anchor } : {}),
            ...(opts.intervals ? { intervals: opts.intervals as BtIntervalMethod } : {}),
            rounds,
            seed,
          });
          process.stdout.write(opts.json ? `${JSON.stringify(results, null, 2)}\n` : humanReadable(results));
        } finally {
          await runtime.close();
        }
      }),
    );
}

function humanReadable(results: Awaited<ReturnType<typeof computeResults>>): string {
  const parts = [`In plain words:\n${results.summary.text.map((line) => `  ${line}`).join("\n")}\n`, boardLine(results.boards), ...results.rules.map(formatRuleResult)];
  if (results.boards.other) parts.push(`other board (${results.boards.other.board} votes):\n${formatRuleResult(results.boards.other.rule)}`);
  if (results.sensitivity.length) parts.push(formatSensitivity(results.sensitivity));
  parts.push(...beyondArenaLines(results.beyondArena));
  parts.push(`dissent: ${results.dissent.abstentions} abstentions, ${results.dissent.contests} contests`);
  parts.push(...results.warnings.map((w) => `warning: ${w}`));
  return `${parts.join("\n")}\n`;
}

/** The bridging board's order and the cost to swap each pair of neighbours, one line each. */
function beyondArenaLines(beyond: Awaited<ReturnType<typeof computeResults>>["beyondArena"]): string[] {
  if (!beyond) return [];
  const lines: string[] = [];
  const board = beyond.bridging.board;
  lines.push(board ? `bridging (${beyond.bridging.groups.map((g) => g.participants).join(" / ")} people per group, each group counts equally): ${board.subjects.map((s) => s.name).join(" > ")}` : `bridging: ${beyond.bridging.reason ?? "no board"}`);
  const costs = beyond.manipulation;
  if (costs) {
    const swap = (p: { upper: string; lower: string; votes: number | null }) => `${p.lower} over ${p.upper}: ${p.votes ?? `> ${costs.maxVotes}`}`;
    lines.push(`votes to swap neighbours: ${costs.pairs.map(swap).join("; ")}`);
    if (costs.intoTopTier) lines.push(`votes to lift the last into the top tier: ${swap(costs.intoTopTier)}`);
  }
  return lines;
}

function boardLine(boards: Awaited<ReturnType<typeof computeResults>>["boards"]): string {
  const counted = boards.headline === "blind" ? "blind votes (each battle's first vote, cast before the reveal)" : "revised votes (as they stand after the revise phase)";
  const revised = boards.identical ? "no vote revised" : boards.revisions.suppressed ? `revisions by fewer than k = ${boards.revisions.suppressed.k} people` : `${boards.revisions.judgments} votes revised by ${boards.revisions.people} people`;
  return `board: ${counted}; ${revised}`;
}
