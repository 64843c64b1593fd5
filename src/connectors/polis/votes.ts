/**
 * Polis's numeric vote and moderation conventions, confined to this connector. Polis CSV exports and the golden
 * `votes.json` files use agree = +1, disagree = -1, pass = 0 (Polis's database and internal math
 * use agree = -1; nothing here reads that form).
 */
import type { Vote } from "../../analytics/opinion/types.ts";

export function voteFromPolisExport(value: number): Vote | null {
  if (value === 1) return "agree";
  if (value === -1) return "disagree";
  if (value === 0) return "pass";
  return null;
}

export function voteToPolisExport(vote: Vote): 1 | -1 | 0 {
  return vote === "agree" ? 1 : vote === "disagree" ? -1 : 0;
}

/** A statement's moderation state; Polis writes it as `moderated` 1, 0 or -1. */
export type StatementModeration = "accepted" | "unmoderated" | "rejected";

export function moderationFromPolis(value: -1 | 0 | 1): StatementModeration {
  return value === 1 ? "accepted" : value === -1 ? "rejected" : "unmoderated";
}

export function moderationToPolis(moderation: StatementModeration): -1 | 0 | 1 {
  return moderation === "accepted" ? 1 : moderation === "rejected" ? -1 : 0;
}
