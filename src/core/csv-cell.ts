/**
 * CSV formula injection (OWASP "CSV Injection"): a spreadsheet opening a CSV runs a cell that begins with
 * `=`, `+`, `-` or `@` (and tab or carriage return, which some spreadsheets skip before such a character)
 * as a formula, e.g. a participant's rationale `=HYPERLINK("http://evil","x")`. Every CSV the server
 * writes passes its text cells through `neutraliseCell`, which prefixes such a cell with a single quote
 * `'`, OWASP's recommendation; the spreadsheet then shows the text as text.
 *
 * The rule for numbers: a cell that is a plain decimal number (`-1`, `+3`, `-0.5`, `1e-3`) is left as it
 * is. It cannot be a formula, and Polis-style vote columns (`-1` = disagree) must stay numbers.
 */
const TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);
const PLAIN_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function neutraliseCell(value: string): string {
  const first = value.charAt(0);
  if (!TRIGGERS.has(first)) return value;
  if (PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}

/** The text a neutralised cell stood for: readers of our own CSV exports undo the prefix (and only that one). */
export function restoreCell(value: string): string {
  if (value.startsWith("'") && value.length > 1 && TRIGGERS.has(value.charAt(1)) && !PLAIN_NUMBER.test(value.slice(1))) return value.slice(1);
  return value;
}
