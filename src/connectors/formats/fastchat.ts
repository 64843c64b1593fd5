/** FastChat / Chatbot Arena battles: a JSON array (or JSON Lines) of {model_a, model_b, winner}. */
import { z } from "zod";
import type { PairwiseOutcome } from "../../domain/judgment.ts";
import { collapseComparisons } from "../../analytics/results/pairs.ts";
import type { Comparison } from "../../analytics/results/types.ts";
import { firstIssue } from "./arenaPairs.ts";
import type { PairwiseDataset } from "./dataset.ts";
import { malformed, parseJson, parseJsonLines } from "./errors.ts";
import { SubjectIndex } from "./subjects.ts";

const WINNERS: Readonly<Record<string, PairwiseOutcome>> = { model_a: "a", model_b: "b", tie: "tie", "tie (bothbad)": "both_bad" };

const Battle = z.object({
  model_a: z.string().min(1),
  model_b: z.string().min(1),
  winner: z.enum(["model_a", "model_b", "tie", "tie (bothbad)"]),
  judge: z.string().optional(),
});

export function parseFastchat(text: string): PairwiseDataset {
  const trimmed = text.trimStart();
  const records = trimmed.startsWith("[") ? parseJson("fastchat", trimmed) : parseJsonLines("fastchat", text);
  const battles = z.array(Battle).safeParse(records);
  if (!battles.success) throw malformed("fastchat", firstIssue(battles.error.issues));
  const subjects = new SubjectIndex();
  const comparisons: Comparison[] = battles.data.map((battle) => ({
    a: subjects.indexOf(battle.model_a),
    b: subjects.indexOf(battle.model_b),
    outcome: WINNERS[battle.winner] ?? "tie",
    ...(battle.judge === undefined ? {} : { participant: battle.judge }),
  }));
  return { kind: "pairwise", format: "fastchat", input: { subjects: subjects.names, pairs: collapseComparisons(comparisons), comparisons }, ordered: true };
}
