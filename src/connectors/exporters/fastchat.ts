/**
 * FastChat / Chatbot Arena "clean battle" JSON: an array of battles as `fastchat/serve/monitor/
 * clean_battle_data.py` writes them and `elo_analysis.py` reads them.
 *
 * Only pairwise judgments are battles. Ratings, rankings, abstentions and contests cannot be carried by
 * this format; they are counted in `excluded` (as `<kind>_not_representable`) so the loss is on the record.
 * `question_id` is the item id (the same prompt judged many times, as in MT-bench human judgments);
 * `judge` is the export's pseudonym; `tstamp` is seconds since the epoch; `turn` is 1 (one exchange).
 */
import type { PairwiseOutcome } from "../../core/judgment.ts";
import { countReasons, pseudonymise, result, type ExportResponse, type ExportResult, type JudgmentExportRow, type WriterOptions } from "./rows.ts";

const FASTCHAT_PATH = "clean_battle.json";

export type FastChatWinner = "model_a" | "model_b" | "tie" | "tie (bothbad)";

export interface FastChatMessage {
  readonly role: "user" | "assistant";
  readonly content: string;
}

export interface FastChatBattle {
  readonly question_id: string;
  readonly model_a: string;
  readonly model_b: string;
  readonly winner: FastChatWinner;
  readonly judge: string;
  readonly conversation_a: FastChatMessage[];
  readonly conversation_b: FastChatMessage[];
  readonly turn: number;
  readonly anony: boolean;
  readonly language: string;
  readonly tstamp: number;
}

function toFastChatWinner(outcome: PairwiseOutcome): FastChatWinner {
  switch (outcome) {
    case "a":
      return "model_a";
    case "b":
      return "model_b";
    case "tie":
      return "tie";
    case "both_bad":
      return "tie (bothbad)";
  }
}

function conversation(itemText: string, response: ExportResponse): FastChatMessage[] {
  return [
    { role: "user", content: itemText },
    { role: "assistant", content: response.text },
  ];
}

function toBattle(row: JudgmentExportRow, outcome: PairwiseOutcome, salt: string): FastChatBattle {
  const [a, b] = row.responses;
  if (!a || !b || row.responses.length !== 2) throw new RangeError(`pairwise judgment on item ${row.itemId} must have exactly two responses`);
  return {
    question_id: row.itemId,
    model_a: a.subjectName,
    model_b: b.subjectName,
    winner: toFastChatWinner(outcome),
    judge: pseudonymise(row.participantId, salt),
    conversation_a: conversation(row.itemText, a),
    conversation_b: conversation(row.itemText, b),
    turn: 1,
    anony: true,
    language: row.language ?? "unknown",
    tstamp: row.createdAt.getTime() / 1000,
  };
}

export function writeFastChatBattles(rows: readonly JudgmentExportRow[], options: WriterOptions): ExportResult {
  const battles: FastChatBattle[] = [];
  const skipped: string[] = [];
  for (const row of rows) {
    if (row.judgment.kind === "pairwise") battles.push(toBattle(row, row.judgment.outcome, options.salt));
    else skipped.push(`${row.judgment.kind}_not_representable`);
  }
  return result([{ path: FASTCHAT_PATH, content: `${JSON.stringify(battles, null, 2)}\n` }], countReasons(skipped));
}
