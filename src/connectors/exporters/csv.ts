/**
 * Flat CSV export (RFC 4180 via csv-stringify, formula-like cells neutralised: core/csv-cell.ts), one judgment per row.
 * Kind-specific values get their own columns (empty when not applicable); structured values
 * (rating scores, ranking order, responses) are JSON in a cell.
 */
import { stringifyCsv } from "../csv-writer.ts";
import type { JudgmentBody } from "../../core/judgment.ts";
import { result, toExportedJudgment, type ExportResult, type JudgmentExportRow, type WriterOptions } from "./rows.ts";

const CSV_PATH = "judgments.csv";

const CSV_COLUMNS = [
  "participant_id",
  "item_id",
  "item_text",
  "judgment_kind",
  "pairwise_outcome",
  "rating_scores_json",
  "ranking_order_json",
  "contest_target",
  "reason",
  "response_ids",
  "subject_names",
  "responses_json",
  "rationale",
  "charter_version",
  "created_at",
] as const;

type CsvRecord = Record<(typeof CSV_COLUMNS)[number], string>;

function kindColumns(judgment: JudgmentBody): Pick<CsvRecord, "pairwise_outcome" | "rating_scores_json" | "ranking_order_json" | "contest_target" | "reason"> {
  const empty = { pairwise_outcome: "", rating_scores_json: "", ranking_order_json: "", contest_target: "", reason: "" };
  switch (judgment.kind) {
    case "pairwise":
      return { ...empty, pairwise_outcome: judgment.outcome };
    case "rating":
      return { ...empty, rating_scores_json: JSON.stringify(judgment.scores) };
    case "ranking":
      return { ...empty, ranking_order_json: JSON.stringify(judgment.order) };
    case "abstention":
      return { ...empty, reason: judgment.reason };
    case "contest":
      return { ...empty, contest_target: judgment.target, reason: judgment.reason };
  }
}

function toCsvRecord(row: JudgmentExportRow, salt: string): CsvRecord {
  const exported = toExportedJudgment(row, salt);
  return {
    participant_id: exported.participant_id,
    item_id: exported.item_id,
    item_text: exported.item_text,
    judgment_kind: row.judgment.kind,
    ...kindColumns(row.judgment),
    response_ids: row.responses.map((r) => r.responseId).join(";"),
    subject_names: row.responses.map((r) => r.subjectName).join(";"),
    responses_json: JSON.stringify(exported.responses),
    rationale: row.rationale ?? "",
    charter_version: String(row.charterVersion),
    created_at: exported.created_at,
  };
}

export function writeJudgmentsCsv(rows: readonly JudgmentExportRow[], options: WriterOptions): ExportResult {
  const content = stringifyCsv(
    rows.map((row) => toCsvRecord(row, options.salt)),
    { header: true, columns: [...CSV_COLUMNS], record_delimiter: "unix" },
  );
  return result([{ path: CSV_PATH, content }]);
}
