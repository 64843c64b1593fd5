/**
 * Imported subject outputs: rows of (item, subject, response) from JSONL or CSV, validated into plain
 * objects. The caller stores them. Every problem names its row (the 1-based line number; for CSV
 * the header is line 1 and a record with multi-line cells is numbered by the line it ends on) and its field.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { FormatError } from "./errors.ts";
import { readJsonLines } from "./json-lines.ts";

export interface ImportedOutput {
  /** the item's key in the evaluation (an id or a slug) */
  readonly item: string;
  /** the subject's key in the evaluation */
  readonly subject: string;
  readonly response: string;
  /** any other columns, kept as given (strings for CSV, JSON values for JSONL) */
  readonly extra: Readonly<Record<string, unknown>>;
}

export type OutputsFormat = "jsonl" | "csv";

const REQUIRED_OUTPUT_FIELDS = ["item", "subject", "response"] as const;
export type RequiredOutputField = (typeof REQUIRED_OUTPUT_FIELDS)[number];

export type OutputsProblem = "missing_field" | "empty_field" | "not_text" | "invalid_json" | "not_an_object" | "invalid_csv" | "no_rows";

/** A FormatError (`malformed_file`) that also says which row, which field, and what is wrong. */
export class OutputsFormatError extends FormatError {
  constructor(
    readonly problem: OutputsProblem,
    /** 1-based row (line) number; 0 when the problem is the whole file */
    readonly row: number,
    field: string | null,
    detail: string,
  ) {
    super("malformed_file", `row ${row}${field ? `, field "${field}"` : ""}: ${detail}`, field ?? "content");
  }
}

export interface OutputsParseOptions {
  /** map from our field names to the file's column names, e.g. { response: "result", subject: "model" } */
  readonly columns?: Partial<Record<RequiredOutputField, string>>;
}

export function parseOutputs(content: string, format: OutputsFormat, options: OutputsParseOptions = {}): ImportedOutput[] {
  const records = format === "jsonl" ? jsonlRecords(content) : csvRecords(content);
  if (records.length === 0) throw new OutputsFormatError("no_rows", 0, null, "the file has no rows");
  return records.map(({ row, record }) => toOutput(record, row, options));
}

/** Guesses the format from a file name: .jsonl/.ndjson → jsonl, .csv → csv. */
export function outputsFormatOf(fileName: string): OutputsFormat | null {
  if (/\.(jsonl|ndjson)$/i.test(fileName)) return "jsonl";
  if (/\.csv$/i.test(fileName)) return "csv";
  return null;
}

interface NumberedRecord {
  readonly row: number;
  readonly record: Record<string, unknown>;
}

function jsonlRecords(content: string): NumberedRecord[] {
  const lines = readJsonLines(content, (row, reason) => new OutputsFormatError("invalid_json", row, null, `not valid JSON (${reason})`));
  return lines.map(({ line: row, value }) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new OutputsFormatError("not_an_object", row, null, "each line must be a JSON object");
    }
    return { row, record: value as Record<string, unknown> };
  });
}

function csvRecords(content: string): NumberedRecord[] {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parseCsv(content, { columns: true, bom: true, skip_empty_lines: true, info: true, relax_column_count: false }) as typeof rows;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    throw new OutputsFormatError("invalid_csv", line, null, (error as Error).message);
  }
  return rows.map(({ record, info }) => ({ row: info.lines, record }));
}

function toOutput(record: Record<string, unknown>, row: number, options: OutputsParseOptions): ImportedOutput {
  const column = (field: RequiredOutputField): string => options.columns?.[field] ?? field;
  const text = (field: RequiredOutputField, allowEmpty: boolean): string => {
    const name = column(field);
    if (!(name in record) || record[name] === null || record[name] === undefined) {
      throw new OutputsFormatError("missing_field", row, name, "is missing");
    }
    const value = record[name];
    if (typeof value !== "string" && typeof value !== "number") throw new OutputsFormatError("not_text", row, name, `must be text, got ${Array.isArray(value) ? "an array" : typeof value}`);
    const asText = String(value);
    if (!allowEmpty && asText.trim() === "") throw new OutputsFormatError("empty_field", row, name, "is empty");
    return field === "response" ? asText : asText.trim();
  };
  const used = new Set(REQUIRED_OUTPUT_FIELDS.map(column));
  const extra = Object.fromEntries(Object.entries(record).filter(([key]) => !used.has(key)));
  // an empty response is a real output (a model may answer nothing); an empty key is not
  return { item: text("item", false), subject: text("subject", false), response: text("response", true), extra };
}
