/**
 * FastChat / Chatbot Arena battles: a JSON array (or JSON Lines) of {model_a, model_b, winner, judge?,
 * conv_metadata?}. Read by a byte-level scanner (fastchat-scanner.ts) that extracts only these fields, so a
 * dump of hundreds of megabytes is read in seconds and in little more memory than its battles need. When
 * battles carry Arena's style counts in conv_metadata, the dataset carries them for style control.
 */
import { open } from "node:fs/promises";
import type { PairwiseOutcome } from "../../core/judgment.ts";
import { collapseComparisons } from "../../analytics/results/pairs.ts";
import { STYLE_FEATURES } from "../../analytics/results/style-features.ts";
import type { Comparison } from "../../analytics/results/types.ts";
import type { PairwiseDataset } from "./dataset.ts";
import { malformed } from "./errors.ts";
import { FastchatScanner } from "./fastchat-scanner.ts";
import type { ScannedBattle } from "./fastchat-scanner.ts";
import { SubjectIndex } from "./subjects.ts";

const WINNERS: Readonly<Record<string, PairwiseOutcome>> = { model_a: "a", model_b: "b", tie: "tie", "tie (bothbad)": "both_bad" };
const SCORES: Readonly<Record<PairwiseOutcome, number>> = { a: 1, b: 0, tie: 0.5, both_bad: 0.5 };
const ALL_STYLE = (1 << (2 * STYLE_FEATURES.length)) - 1;
const CHUNK_BYTES = 8 * 2 ** 20;

/** Growable typed columns for the battles that carry every style count. */
class StyleColumns {
  length = 0;
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  scoreA = new Float64Array(1024);
  values = Array.from({ length: 2 * STYLE_FEATURES.length }, () => new Float64Array(1024));

  push(a: number, b: number, score: number, style: Float64Array): void {
    if (this.length === this.a.length) this.grow();
    this.a[this.length] = a;
    this.b[this.length] = b;
    this.scoreA[this.length] = score;
    this.values.forEach((column, slot) => (column[this.length] = style[slot] ?? 0));
    this.length += 1;
  }

  private grow(): void {
    const size = 2 * this.a.length;
    const larger = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.a = larger(this.a, (n) => new Int32Array(n));
    this.b = larger(this.b, (n) => new Int32Array(n));
    this.scoreA = larger(this.scoreA, (n) => new Float64Array(n));
    this.values = this.values.map((column) => larger(column, (n) => new Float64Array(n)));
  }
}

/** Accumulates battles one by one, validating the fields read. */
class BattleCollector {
  private readonly subjects = new SubjectIndex();
  private readonly comparisons: Comparison[] = [];
  private readonly style = new StyleColumns();

  readonly add = (battle: ScannedBattle, where: string): void => {
    const modelA = requireName(battle.modelA, "model_a", where);
    const modelB = requireName(battle.modelB, "model_b", where);
    const outcome = typeof battle.winner === "string" ? WINNERS[battle.winner] : undefined;
    if (!outcome) throw malformed("fastchat", `${where}: winner must be one of ${Object.keys(WINNERS).join(", ")}; got ${JSON.stringify(battle.winner ?? null)}`);
    if (battle.judge !== undefined && typeof battle.judge !== "string") throw malformed("fastchat", `${where}: judge must be a string`);
    const a = this.subjects.indexOf(modelA);
    const b = this.subjects.indexOf(modelB);
    this.comparisons.push({ a, b, outcome, ...(battle.judge === undefined ? {} : { participant: battle.judge }) });
    if (battle.styleSeen === ALL_STYLE) this.style.push(a, b, SCORES[outcome], battle.style);
  };

  dataset(): PairwiseDataset {
    const comparisons = this.comparisons;
    const dataset: PairwiseDataset = { kind: "pairwise", format: "fastchat", input: { subjects: this.subjects.names, pairs: collapseComparisons(comparisons), comparisons }, ordered: true };
    const rows = this.style.length;
    if (rows === 0) return dataset;
    const half = STYLE_FEATURES.length;
    const column = (slot: number) => (this.style.values[slot] ?? new Float64Array(0)).slice(0, rows);
    return {
      ...dataset,
      style: {
        battles: {
          subjects: this.subjects.names,
          a: this.style.a.slice(0, rows),
          b: this.style.b.slice(0, rows),
          scoreA: this.style.scoreA.slice(0, rows),
          styleA: STYLE_FEATURES.map((_, f) => column(f)),
          styleB: STYLE_FEATURES.map((_, f) => column(half + f)),
        },
        withoutMetadata: comparisons.length - rows,
      },
    };
  }
}

function requireName(value: unknown, field: string, where: string): string {
  if (typeof value !== "string" || value.length === 0) throw malformed("fastchat", `${where}: ${field} must be a non-empty string`);
  return value;
}

export function parseFastchat(text: string): PairwiseDataset {
  const collector = new BattleCollector();
  const scanner = new FastchatScanner(collector.add);
  const bytes = Buffer.from(text, "utf8");
  const used = scanner.feed(bytes);
  scanner.finish(bytes.subarray(used));
  return collector.dataset();
}

/**
 * Reads a battle file from disk in chunks: Arena's public battle dumps are larger than the longest string
 * JavaScript can hold, so they cannot be read whole.
 */
export async function readFastchatFile(path: string, chunkBytes = CHUNK_BYTES): Promise<PairwiseDataset> {
  const collector = new BattleCollector();
  const scanner = new FastchatScanner(collector.add);
  const file = await open(path, "r");
  try {
    let buffer = Buffer.allocUnsafe(chunkBytes);
    let kept = 0;
    for (;;) {
      if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const { bytesRead } = await file.read(buffer, kept, buffer.length - kept, null);
      const filled = kept + bytesRead;
      if (bytesRead === 0) {
        scanner.finish(buffer.subarray(0, filled));
        return collector.dataset();
      }
      const used = scanner.feed(buffer.subarray(0, filled));
      buffer.copy(buffer, 0, used, filled);
      kept = filled - used;
    }
  } finally {
    await file.close();
  }
}
