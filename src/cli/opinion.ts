/**
 * `counterpublic opinion <polis-export-dir> [--json] [--seed S]`: the opinion map of a Polis
 * conversation (groups, representative statements, consensus, group-informed consensus).
 */
import { AppError } from "../core/errors.ts";
import type { Command } from "commander";
import { computeOpinionMap } from "../analytics/opinion/map.ts";
import { OpinionInputError } from "../analytics/opinion/matrix.ts";
import type { OpinionConversation, OpinionMap } from "../analytics/opinion/types.ts";
import { existsSync } from "node:fs";
import { PolisFormatError, readPolisConversation } from "../connectors/polis/index.ts";
import { operatorOpinion } from "../modules/deliberation/opinion-service.ts";
import { runCommand } from "./io.ts";
import { openRuntime } from "./runtime.ts";

export interface OpinionCommandOptions {
  readonly json?: boolean;
  readonly seed?: string | number;
}

export interface OpinionOutcome {
  readonly exitCode: 0 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

export class OpinionUsageError extends AppError<"invalid_option"> {
  constructor(message: string) {
    super("invalid_option", message);
  }
}

/** the JSON the command prints: ids as in the input */
export interface OpinionReport {
  readonly rule: OpinionMap["rule"];
  readonly counts: OpinionMap["counts"];
  readonly groups: readonly { id: number; participants: readonly string[]; center: readonly [number, number] }[];
  readonly repness: OpinionMap["repness"];
  readonly consensus: OpinionMap["consensus"];
  readonly groupInformedConsensus: OpinionMap["groupInformedConsensus"];
  readonly excluded: OpinionMap["excluded"];
  readonly silhouettes: OpinionMap["silhouettes"];
}

/** the computation on a parsed conversation, whatever it was read from (export folder, stored evaluation) */
export function opinionReport(conversation: OpinionConversation, seed: number): OpinionReport {
  const map = computeOpinionMap(conversation, { seed });
  return {
    rule: map.rule,
    counts: map.counts,
    groups: map.groups,
    repness: map.repness,
    consensus: map.consensus,
    groupInformedConsensus: map.groupInformedConsensus,
    excluded: map.excluded,
    silhouettes: map.silhouettes,
  };
}

function parseSeed(value: string | number | undefined): number {
  const seed = Number(value ?? 0);
  if (!Number.isInteger(seed)) throw new OpinionUsageError(`--seed must be an integer, not "${value}"`);
  return seed;
}

function formatText(report: OpinionReport): string {
  const lines = [
    `opinion map (${report.rule.name} v${report.rule.version}): ${report.counts.participants} participants, ${report.counts.statements} statements, ${report.counts.votes} votes; ${report.counts.clustered} clustered, ${report.excluded.length} left out (too few votes)`,
  ];
  for (const group of report.groups) {
    const reps = (report.repness[String(group.id)] ?? []).map((r) => `${r.statement} (${r.repfulFor} ${(r.pSuccess * 100).toFixed(0)}%)`);
    lines.push(`group ${group.id}: ${group.participants.length} participants; representative: ${reps.join(", ") || "none"}`);
  }
  const consensus = (kind: "agree" | "disagree") => report.consensus[kind].map((c) => c.statement).join(", ") || "none";
  lines.push(`consensus agree: ${consensus("agree")}`, `consensus disagree: ${consensus("disagree")}`);
  const top = Object.entries(report.groupInformedConsensus).sort((a, b) => b[1] - a[1]).slice(0, 5);
  lines.push(`highest group-informed consensus: ${top.map(([id, v]) => `${id} (${v.toFixed(3)})`).join(", ")}`);
  return `${lines.join("\n")}\n`;
}

/** runs the command without a process: a typed error becomes a one-line message and exit code 2 */
export function runOpinion(dir: string, options: OpinionCommandOptions): OpinionOutcome {
  try {
    const report = opinionReport(readPolisConversation(dir), parseSeed(options.seed));
    return { exitCode: 0, stdout: options.json ? `${JSON.stringify(report, null, 2)}\n` : formatText(report), stderr: "" };
  } catch (error) {
    if (error instanceof PolisFormatError || error instanceof OpinionInputError || error instanceof OpinionUsageError) {
      return { exitCode: 2, stdout: "", stderr: `error: ${error.message.replace(/\s+/g, " ")}\n` };
    }
    throw error;
  }
}

type StoredOpinion = Awaited<ReturnType<typeof operatorOpinion>>;

function formatStored(report: StoredOpinion): string {
  if (!report.available) return `no opinion map: ${report.reason}\n`;
  const lines = [`opinion map (${report.rule.name} v${report.rule.version}), k = ${report.kAnonymity}: ${report.counts.participants} participants, ${report.counts.statements} statements`];
  for (const group of report.groups) {
    lines.push(group.suppressed ? `group ${group.id}: hidden (${group.reason})` : `group ${group.id}: ${group.participants} participants; representative: ${group.representative.map((r) => r.statementId).join(", ") || "none"}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The same map over a stored evaluation's statement votes, as the public API publishes it: group sizes only,
 * suppressed below the charter's k; no participant, not even by pseudonym, is listed.
 */
async function runStoredOpinion(evaluation: string, options: OpinionCommandOptions & { dataDir: string }): Promise<OpinionOutcome> {
  let outcome: OpinionOutcome = { exitCode: 2, stdout: "", stderr: "" };
  await runCommand(async () => {
    const runtime = await openRuntime({ dataDir: options.dataDir });
    try {
      const report = await operatorOpinion({ pool: runtime.pool }, evaluation, parseSeed(options.seed));
      outcome = { exitCode: 0, stdout: options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStored(report), stderr: "" };
    } catch (error) {
      if (error instanceof OpinionInputError || error instanceof OpinionUsageError) outcome = { exitCode: 2, stdout: "", stderr: `error: ${error.message.replace(/\s+/g, " ")}\n` };
      else throw error;
    } finally {
      await runtime.close();
    }
  });
  return outcome;
}

export function register(program: Command): void {
  program
    .command("opinion")
    .description("opinion map of a Polis conversation (Polis's method): groups, representative statements, consensus")
    .argument("<evaluation | polis-export-dir>", "a stored evaluation (id or slug), or a Polis export folder (comments.csv with votes.csv or participants-votes.csv)")
    .option("--json", "print JSON")
    .option("--seed <s>", "seed of the k-means initialisations", "0")
    .option("--data-dir <dir>", "embedded PostgreSQL data folder (for a stored evaluation)", ".counterpublic")
    .action(async (target: string, options: OpinionCommandOptions & { dataDir: string }) => {
      const outcome = existsSync(target) ? runOpinion(target, options) : await runStoredOpinion(target, options);
      process.stdout.write(outcome.stdout);
      process.stderr.write(outcome.stderr);
      process.exitCode = outcome.exitCode;
    });
}
