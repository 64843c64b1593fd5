/**
 * The one way the server writes CSV: csv-stringify (RFC 4180) with every string cell passed through
 * core/csv-cell.ts neutraliseCell, so no cell a person wrote can run as a spreadsheet formula.
 */
import { stringify, type Input, type Options } from "csv-stringify/sync";
import { neutraliseCell } from "../core/csv-cell.ts";

export function stringifyCsv(records: Input, options: Options = {}): string {
  return stringify(records, { ...options, cast: { ...options.cast, string: (value) => neutraliseCell(value) } });
}
