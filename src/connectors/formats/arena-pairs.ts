/** Chatbot Arena counts aggregated per unordered pair (leaderbot's file): models, X = [i, j], Y = [wins_i, wins_j, ties, ties_both_bad]. */
import { z } from "zod";
import type { PairRow } from "../../analytics/results/types.ts";
import type { PairwiseDataset } from "./dataset.ts";
import { firstIssue, malformed, parseJson } from "./errors.ts";

const count = z.number().int().nonnegative();
const ArenaPairsFile = z.object({
  models: z.array(z.string()).min(1),
  X: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])),
  Y: z.array(z.tuple([count, count, count, count])),
});

export function parseArenaPairs(text: string): PairwiseDataset {
  const parsed = ArenaPairsFile.safeParse(parseJson("arena-pairs", text));
  if (!parsed.success) throw malformed("arena-pairs", firstIssue(parsed.error.issues));
  const { models, X, Y } = parsed.data;
  if (X.length !== Y.length) throw malformed("arena-pairs", `X has ${X.length} pairs but Y has ${Y.length} count rows`);
  const rows: PairRow[] = X.map(([a, b], k) => {
    if (a >= models.length || b >= models.length) throw malformed("arena-pairs", `pair ${k} names model index outside 0..${models.length - 1}`);
    const [winsA, winsB, ties, bothBad] = Y[k] ?? [0, 0, 0, 0];
    return { a, b, winsA, winsB, ties, bothBad };
  });
  return { kind: "pairwise", format: "arena-pairs", input: { subjects: models, pairs: rows }, ordered: false };
}
