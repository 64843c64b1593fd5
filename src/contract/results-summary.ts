/** The results in plain words (analytics/results/summary.ts builds it): sentence keys with values, and their English text. */
import { z } from "zod";
import { SUMMARY_KEYS, SUMMARY_TOPICS } from "../core/results-summary-text.ts";

export const summarySentence = z.object({
  topic: z.enum(SUMMARY_TOPICS),
  key: z.enum(SUMMARY_KEYS),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string()).readonly()])),
});

export const resultsSummary = z.object({
  leadRule: z.string().nullable(),
  certainty: z.enum(["clear", "uncertain", "unknown", "none"]),
  tiers: z.array(z.object({ subjects: z.array(z.string()).readonly() })).readonly(),
  sentences: z.array(summarySentence).readonly(),
  text: z.array(z.string()).readonly(),
});
