/** JSON Lines export: one pseudonymised judgment record per line, every kind included. */
import { result, toExportedJudgment, toJsonLines, type ExportResult, type JudgmentExportRow, type WriterOptions } from "./rows.ts";

const JSONL_PATH = "judgments.jsonl";

export function writeJudgmentsJsonl(rows: readonly JudgmentExportRow[], options: WriterOptions): ExportResult {
  const records = rows.map((row) => toExportedJudgment(row, options.salt));
  return result([{ path: JSONL_PATH, content: toJsonLines(records) }]);
}
