/**
 * `counterpublic opinion <polis-export-dir> [--json] [--seed S] [--replay [--every SHARE]]`: the opinion
 * map of a Polis conversation (groups, representative statements, consensus, group-informed consensus).
 * With --replay, votes.csv is fed in time order through the update loop the server runs (warm starts,
 * k smoothing, stable labels), with an update at every SHARE of the votes; the history is printed too.
 */
import { AppError } from "../core/errors.ts";
import type { Command } from "commander";
import { computeOpinionMap } from "../analytics/opinion/map.ts";
import { OpinionInputError } from "../analytics/opinion/matrix.ts";
import type { OpinionConversation, OpinionMap } from "../analytics/opinion/types.ts";
import { existsSync } from "node:fs";
import { PolisFormatError, readPolisConversation, readPolisVoteEvents } from "../connectors/polis/index.ts";
import { replayOpinionMap, replaySummary } from "../analytics/opinion/replay.ts";
import { operatorOpinion } from "../modules/deliberation/opinion-service.ts";
import { runCommand } from "./io.ts";
import { DATA_DIR_DEFAULT_NOTE, openRuntime } from "./runtime.ts";

export interface OpinionCommandOptions {
  readonly json?: boolean;
  readonly seed?: string | number;
  readonly replay?: boolean;
  readonly every?: string | number;
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
  return reportOf(computeOpinionMap(conversation, { seed }));
}

function reportOf(map: OpinionMap): OpinionReport {
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

/** the default share of votes between two updates of a replay */
export const DEFAULT_REPLAY_EVERY = 0.1;

function parseEvery(value: string | number | undefined): number {
  const every = Number(value ?? DEFAULT_REPLAY_EVERY);
  if (!(every > 0 && every <= 1)) throw new OpinionUsageError(`--every must be a share of the votes in (0, 1], not "${value}"`);
  return every;
}

/** the JSON of a replay: each update's vote count, k and groups (participants by the export's own ids) */
export interface ReplayReport {
  readonly every: number;
  readonly updates: readonly { update: number; votes: number; recomputed: boolean; k: number; groups: readonly { id: number; participants: readonly string[] }[]; agreementWithPrevious: number | null }[];
  readonly kChanges: number;
  readonly medianAgreement: number | null;
  readonly final: OpinionReport;
}

export function replayReport(dir: string, every: number, seed: number): ReplayReport {
  const { conversation, events } = readPolisVoteEvents(dir);
  const timed = conversation.statements.every((s) => s.createdAt !== null);
  const steps = replayOpinionMap(
    { statements: conversation.statements, participants: conversation.participants, events, ...(timed ? { statementTimes: conversation.statements.map((s) => s.createdAt as number) } : {}) },
    every,
    { seed },
  );
  const last = steps.at(-1);
  if (!last) throw new OpinionInputError("no update of the replay could draw a map (too few voters)");
  const summary = replaySummary(steps);
  return {
    every,
    updates: steps.map((step, i) => ({
      update: step.update,
      votes: step.votes,
      recomputed: step.recomputed,
      k: step.map.groups.length,
      groups: step.map.groups.map((g) => ({ id: g.id, participants: g.participants })),
      agreementWithPrevious: i === 0 ? null : (summary.agreement[i - 1] ?? null),
    })),
    kChanges: summary.kChanges,
    medianAgreement: summary.medianAgreement,
    final: reportOf(last.map),
  };
}

function formatReplay(report: ReplayReport): string {
  const lines = report.updates.map(
    (u) =>
      `update ${u.update}: ${u.votes} votes${u.recomputed ? " (recomputed from scratch: no vote for a day after)" : ""}, k = ${u.k} (${u.groups.map((g) => `group ${g.id}: ${g.participants.length}`).join(", ")})${u.agreementWithPrevious === null ? "" : `, ARI with the previous map ${u.agreementWithPrevious.toFixed(3)}`}`,
  );
  lines.push(`${report.updates.length} updates (one every ${report.every} of the votes, and a recompute after each quiet day): k changed ${report.kChanges} times; median ARI between consecutive maps ${report.medianAgreement?.toFixed(3) ?? "n/a"}`, "final map:");
  return `${lines.join("\n")}\n${formatText(report.final)}`;
}

/** runs the command without a process: a typed error becomes a one-line message and exit code 2 */
export function runOpinion(dir: string, options: OpinionCommandOptions): OpinionOutcome {
  try {
    if (options.replay) {
      const report = replayReport(dir, parseEvery(options.every), parseSeed(options.seed));
      return { exitCode: 0, stdout: options.json ? `${JSON.stringify(report)}\n` : formatReplay(report), stderr: "" };
    }
    if (options.every !== undefined) throw new OpinionUsageError("--every is an option of --replay");
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
  const lines = [
    `opinion map (${report.rule.name} v${report.rule.version}), k = ${report.kAnonymity}: ${report.counts.participants} participants, ${report.counts.statements} statements`,
    `update ${report.update.version} of ${report.update.computedAt.toISOString()}, from ${report.update.votes} votes (${report.update.votesSince} since)`,
  ];
  for (const group of report.groups) {
    lines.push(group.suppressed ? `group ${group.id}: hidden (${group.reason})` : `group ${group.id}: ${group.participants} participants; representative: ${group.representative.map((r) => r.statementId).join(", ") || "none"}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The same map over a stored evaluation's statement votes, as the public API publishes it: group sizes only,
 * suppressed below the charter's k; no participant, not even by pseudonym, is listed.
 */
async function runStoredOpinion(evaluation: string, options: OpinionCommandOptions & { dataDir?: string }): Promise<OpinionOutcome> {
  let outcome: OpinionOutcome = { exitCode: 2, stdout: "", stderr: "" };
  await runCommand(async () => {
    const runtime = await openRuntime({ dataDir: options.dataDir });
    try {
      if (options.replay || options.every !== undefined) throw new OpinionUsageError("--replay and --every need a Polis export folder (votes.csv), not a stored evaluation");
      const report = await operatorOpinion({ pool: runtime.pool }, evaluation);
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
    .option("--replay", "feed votes.csv in time order through the update loop (warm starts, k smoothing) and print the history")
    .option("--every <share>", `with --replay: share of the votes between two updates (default ${DEFAULT_REPLAY_EVERY})`)
    .option("--data-dir <dir>", "embedded PostgreSQL data folder (for a stored evaluation)" + DATA_DIR_DEFAULT_NOTE)
    .action(async (target: string, options: OpinionCommandOptions & { dataDir?: string }) => {
      const outcome = existsSync(target) ? runOpinion(target, options) : await runStoredOpinion(target, options);
      process.stdout.write(outcome.stdout);
      process.stderr.write(outcome.stderr);
      process.exitCode = outcome.exitCode;
    });
}
