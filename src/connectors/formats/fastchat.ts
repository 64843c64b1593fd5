/** FastChat / Chatbot Arena battles: a JSON array (or JSON Lines) of {model_a, model_b, winner}. */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import StreamArray from "stream-json/streamers/StreamArray.js";
import { z } from "zod";
import type { PairwiseOutcome } from "../../core/judgment.ts";
import { collapseComparisons } from "../../analytics/results/pairs.ts";
import type { Comparison } from "../../analytics/results/types.ts";
import type { PairwiseDataset } from "./dataset.ts";
import { firstIssue, FormatError, malformed, parseJson, parseJsonLines } from "./errors.ts";
import { SubjectIndex } from "./subjects.ts";

const WINNERS: Readonly<Record<string, PairwiseOutcome>> = { model_a: "a", model_b: "b", tie: "tie", "tie (bothbad)": "both_bad" };

const Battle = z.object({
  model_a: z.string().min(1),
  model_b: z.string().min(1),
  winner: z.enum(["model_a", "model_b", "tie", "tie (bothbad)"]),
  judge: z.string().optional(),
});

/** Accumulates battles one by one, so a file never has to be held as one string. */
class BattleCollector {
  private readonly subjects = new SubjectIndex();
  private readonly comparisons: Comparison[] = [];

  add(record: unknown, where: string): void {
    const parsed = Battle.safeParse(record);
    if (!parsed.success) throw malformed("fastchat", `${where}: ${firstIssue(parsed.error.issues)}`);
    const battle = parsed.data;
    this.comparisons.push({
      a: this.subjects.indexOf(battle.model_a),
      b: this.subjects.indexOf(battle.model_b),
      outcome: WINNERS[battle.winner] ?? "tie",
      ...(battle.judge === undefined ? {} : { participant: battle.judge }),
    });
  }

  dataset(): PairwiseDataset {
    const comparisons = this.comparisons;
    return { kind: "pairwise", format: "fastchat", input: { subjects: this.subjects.names, pairs: collapseComparisons(comparisons), comparisons }, ordered: true };
  }
}

export function parseFastchat(text: string): PairwiseDataset {
  const trimmed = text.trimStart();
  const records = trimmed.startsWith("[") ? parseJson("fastchat", trimmed) : parseJsonLines("fastchat", text).map((line) => line.value);
  if (!Array.isArray(records)) throw malformed("fastchat", "expected a JSON array of battles");
  const collector = new BattleCollector();
  records.forEach((record, index) => collector.add(record, `battle ${index + 1}`));
  return collector.dataset();
}

/**
 * Streams a battle file from disk: Arena's public battle dumps are larger than the longest string
 * JavaScript can hold, so they cannot be read whole.
 */
export async function readFastchatFile(path: string): Promise<PairwiseDataset> {
  const collector = new BattleCollector();
  if ((await firstCharacter(path)) === "[") {
    let index = 0;
    try {
      for await (const { value } of createReadStream(path).pipe(StreamArray.withParser()) as AsyncIterable<{ value: unknown }>) {
        index += 1;
        collector.add(value, `battle ${index}`);
      }
    } catch (error) {
      if (error instanceof FormatError) throw error;
      throw malformed("fastchat", `not valid JSON after battle ${index}`);
    }
  } else {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      line += 1;
      if (text.trim()) collector.add(parseJson("fastchat", text, `on line ${line}`), `line ${line}`);
    }
  }
  return collector.dataset();
}

async function firstCharacter(path: string): Promise<string> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString("utf8").trimStart().charAt(0);
  } finally {
    await file.close();
  }
}
