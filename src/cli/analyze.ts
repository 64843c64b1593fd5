/** `counterpublic analyze <file> --format …`: every rule on an evaluation file, side by side. */
import { AppError } from "../core/errors.ts";
import type { Command } from "commander";
import { MAX_ANCHOR, parseAnchor } from "../core/anchor.ts";
import { bootstrapOptionProblem, DEFAULT_BOOTSTRAP_ROUNDS, DEFAULT_BOOTSTRAP_SEED } from "../core/bootstrap-budget.ts";
import { agreementWithPublished, isRuleName, ResultsError, RULE_NAMES, ruleSensitivity } from "../analytics/results/index.ts";
import { BT_INTERVAL_METHODS, type BtIntervalMethod } from "../analytics/results/types.ts";
import type { GroupRule } from "../analytics/results/groups.ts";
import type { Anchor, RuleName } from "../analytics/results/index.ts";
import { FormatError, readDataset } from "../connectors/formats/index.ts";
import type { Dataset } from "../connectors/formats/index.ts";
import { formatGroupAgreement, formatRuleResult, formatSensitivity } from "./analyze-format.ts";
import { formatStyleControl } from "./analyze-style-format.ts";
import { runRulesBesideElo } from "./rules-beside-elo.ts";
import { styleControlBoard } from "../analytics/results/style-control-board.ts";
import type { StyleControlResult } from "../analytics/results/style-control.ts";

export interface AnalyzeOptions {
  readonly format: string;
  readonly rule?: string;
  readonly anchor?: string;
  readonly rounds?: string | number;
  readonly seed?: string | number;
  readonly intervals?: string;
  readonly json?: boolean;
  readonly styleControl?: boolean;
}

export interface AnalyzeOutcome {
  readonly exitCode: 0 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/** A usage problem the user can fix (bad option value). */
export class AnalyzeUsageError extends AppError<"invalid_option"> {
  constructor(message: string) {
    super("invalid_option", message);
  }
}

const GROUP_RULES: readonly GroupRule[] = ["ranked-pairs", "borda"];

/** Runs the command without a process: typed errors become a one-line message and exit code 2. */
export async function analyze(file: string, options: AnalyzeOptions): Promise<AnalyzeOutcome> {
  try {
    const dataset = await readDataset(file, options.format);
    const stdout = dataset.kind === "pairwise" ? await analyzePairwise(dataset, options) : analyzeGroups(dataset, options);
    return { exitCode: 0, stdout, stderr: "" };
  } catch (error) {
    if (error instanceof ResultsError || error instanceof FormatError || error instanceof AnalyzeUsageError) {
      return { exitCode: 2, stdout: "", stderr: `error: ${error.message}\n` };
    }
    throw error;
  }
}

async function analyzePairwise(dataset: Extract<Dataset, { kind: "pairwise" }>, options: AnalyzeOptions): Promise<string> {
  const rules = selectedRules(options.rule, RULE_NAMES);
  const shared = {
    rounds: integerOption("rounds", options.rounds, DEFAULT_BOOTSTRAP_ROUNDS),
    seed: integerOption("seed", options.seed, DEFAULT_BOOTSTRAP_SEED),
    ...anchorOption(options.anchor),
    ...(options.intervals ? { intervals: intervalsOption(options.intervals) } : {}),
  };
  const styleControl = options.styleControl ? styleControlOf(dataset, rules, shared) : null;
  const results = await runRulesBesideElo(dataset.input, { rules, ...shared });
  const sensitivity = ruleSensitivity(results);
  if (options.json) return `${JSON.stringify({ format: dataset.format, results, sensitivity, ...(styleControl ? { styleControl } : {}) }, null, 2)}\n`;
  const sections = [...results.map(formatRuleResult), styleControl ? formatStyleControl(styleControl) : "", formatSensitivity(sensitivity)];
  return `${sections.filter(Boolean).join("\n\n")}\n`;
}

/** Style control on the battles that carry style counts; a one-line usage error when there are none. */
function styleControlOf(dataset: Extract<Dataset, { kind: "pairwise" }>, rules: readonly string[], options: Parameters<typeof styleControlBoard>[1]): StyleControlResult {
  if (!rules.includes("bt")) throw new AnalyzeUsageError("--style-control is a Bradley–Terry model: use it with --rule bt (or all)");
  if (!dataset.style) {
    throw new AnalyzeUsageError(
      `--style-control needs battles with style counts (FastChat conv_metadata: sum_assistant_a_tokens, header_count_a, list_count_a, bold_count_a and the _b ones); this ${dataset.format} file has none`,
    );
  }
  const result = styleControlBoard(dataset.style.battles, options);
  const left = dataset.style.withoutMetadata;
  return left > 0 ? { ...result, warnings: [...result.warnings, `${left} battles without every style count are left out of both boards in this section`] } : result;
}

function analyzeGroups(dataset: Extract<Dataset, { kind: "ranking-groups" }>, options: AnalyzeOptions): string {
  const rules = selectedRules(options.rule, GROUP_RULES);
  const agreements = rules.map((rule) => ({ rule, ...agreementWithPublished(dataset.groups, rule) }));
  if (options.json) return `${JSON.stringify({ format: dataset.format, excluded: dataset.excluded, agreements }, null, 2)}\n`;
  const excluded = dataset.excluded.map((e) => `excluded: ${e.count} (${e.reason})`);
  return `${[...agreements.map((a) => formatGroupAgreement(a.rule, a)), ...excluded].join("\n")}\n`;
}

function selectedRules<T extends string>(rule: string | undefined, available: readonly T[]): T[] {
  if (rule === undefined || rule === "all") return [...available];
  if (!(available as readonly string[]).includes(rule)) {
    const reason = isRuleName(rule) ? "does not apply to this format" : "is not a rule";
    throw new AnalyzeUsageError(`--rule "${rule}" ${reason}; expected one of ${[...available, "all"].join(", ")}`);
  }
  return [rule as T];
}

function integerOption(name: "rounds" | "seed", value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = typeof value === "number" ? value : Number(value);
  const problem = bootstrapOptionProblem(name, parsed);
  if (problem) throw new AnalyzeUsageError(`${problem}; got "${value}"`);
  return parsed;
}

function intervalsOption(value: string): BtIntervalMethod {
  if (!(BT_INTERVAL_METHODS as readonly string[]).includes(value)) throw new AnalyzeUsageError(`--intervals must be one of ${BT_INTERVAL_METHODS.join(", ")}; got "${value}"`);
  return value as BtIntervalMethod;
}

function anchorOption(text: string | undefined): { anchor?: Anchor } {
  if (text === undefined) return {};
  const anchor = parseAnchor(text);
  if (!anchor) throw new AnalyzeUsageError(`--anchor must be NAME=VALUE with |VALUE| ≤ ${MAX_ANCHOR}, e.g. mixtral-8x7b-instruct-v0.1=1114; got "${text}"`);
  return { anchor };
}

export function register(program: Command): void {
  program
    .command("analyze")
    .description("compute results from an evaluation file with every rule side by side (Bradley–Terry, Elo, Borda, ranked pairs, win rate, counting)")
    .argument("<file>", "the evaluation file")
    .requiredOption("--format <format>", "arena-pairs | fastchat | llmfao | oasst")
    .option("--rule <rule>", `${[...RULE_NAMES, "all"].join(" | ")}`, "all")
    .option("--anchor <name=value>", "put one subject at a fixed Bradley–Terry / Elo rating (default: mean 1000)")
    .option("--rounds <n>", "bootstrap rounds for Bradley–Terry", "1000")
    .option("--intervals <method>", "Bradley–Terry intervals: bootstrap (default) or sandwich (closed form)")
    .option("--seed <s>", "seed for resampling and random orders", "0")
    .option("--style-control", "also fit Bradley–Terry with style covariates (length, headers, lists, bold) from FastChat's conv_metadata: the controlled board, the coefficients, the ranks that move")
    .option("--json", "print JSON instead of tables")
    .action(async (file: string, options: AnalyzeOptions) => {
      const outcome = await analyze(file, options);
      process.stdout.write(outcome.stdout);
      process.stderr.write(outcome.stderr);
      process.exitCode = outcome.exitCode;
    });
}

export type { RuleName };
