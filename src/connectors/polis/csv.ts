/** CSV reading for Polis exports: header checks and rows with their line numbers. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { PolisFormatError } from "./errors.ts";

export interface CsvRow {
  readonly line: number;
  readonly cells: Readonly<Record<string, string>>;
}

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

export function readCsvTable(dir: string, name: string, required: readonly string[]): CsvTable {
  const file = path.join(dir, name);
  if (!existsSync(file)) throw new PolisFormatError(name, null, `missing file in ${dir}`);
  let records: ParsedRecord[];
  try {
    records = parse(readFileSync(file, "utf8"), { info: true, relax_column_count: false, skip_empty_lines: true, bom: true }) as ParsedRecord[];
  } catch (error) {
    const err = error as Error & { lines?: number };
    throw new PolisFormatError(name, err.lines ?? null, `not valid CSV (${err.message})`);
  }
  const [first, ...rest] = records;
  if (!first) throw new PolisFormatError(name, null, "the file is empty");
  const header = first.record.map((h) => h.trim());
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) throw new PolisFormatError(name, 1, `duplicate column "${column}" in the header`);
    seen.add(column);
  }
  for (const column of required) {
    if (!seen.has(column)) throw new PolisFormatError(name, 1, `missing column "${column}"`);
  }
  const rows = rest.map(({ record, info }) => ({
    line: info.lines,
    cells: Object.fromEntries(header.map((h, i) => [h, (record[i] ?? "").trim()])),
  }));
  return { file: name, header, rows };
}

export function cell(table: CsvTable, row: CsvRow, column: string): string {
  return row.cells[column] ?? "";
}

/** an integer cell; `allowed` restricts the values */
export function integerCell(table: CsvTable, row: CsvRow, column: string, allowed?: readonly number[]): number {
  const raw = cell(table, row, column);
  const value = Number(raw);
  if (raw === "" || !Number.isInteger(value)) throw new PolisFormatError(table.file, row.line, `column "${column}": "${raw}" is not an integer`);
  if (allowed && !allowed.includes(value)) {
    throw new PolisFormatError(table.file, row.line, `column "${column}": ${value} is not one of ${allowed.join(", ")}`);
  }
  return value;
}
