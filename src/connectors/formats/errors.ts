import { AppError } from "../../core/errors.ts";
import { readJsonLines, type JsonLine } from "./json-lines.ts";

/** The one error the format parsers throw; `code` is stable, `message` names the file problem. */
export const FORMAT_ERROR_CODES = ["unknown_format", "malformed_file", "unreadable_file"] as const;
export type FormatErrorCode = (typeof FORMAT_ERROR_CODES)[number];

export class FormatError extends AppError<FormatErrorCode> {
  constructor(code: FormatErrorCode, message: string, field?: string) {
    super(code, message, field ?? "content");
  }
}

export function malformed(format: string, detail: string): FormatError {
  return new FormatError("malformed_file", `not a valid ${format} file: ${detail}`);
}

/** JSON.parse that reports a malformed file instead of a SyntaxError. */
export function parseJson(format: string, text: string, where = ""): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw malformed(format, `invalid JSON${where ? ` ${where}` : ""} (${reason})`);
  }
}

/** Non-empty lines of a JSON Lines text, parsed; a line that is not JSON is a malformed file. */
export function parseJsonLines(format: string, text: string): JsonLine[] {
  return readJsonLines(text, (line, reason) => malformed(format, `invalid JSON on line ${line} (${reason})`));
}

/** The first schema problem as text: its message and where it is. */
export function firstIssue(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): string {
  const issue = issues[0];
  if (!issue) return "unexpected shape";
  const where = issue.path.length > 0 ? ` at ${issue.path.map(String).join(".")}` : "";
  return `${issue.message}${where}`;
}
