/** The one error the format parsers throw; `code` is stable, `message` names the file problem. */
export const FORMAT_ERROR_CODES = ["unknown_format", "malformed_file", "unreadable_file"] as const;
export type FormatErrorCode = (typeof FORMAT_ERROR_CODES)[number];

export class FormatError extends Error {
  readonly code: FormatErrorCode;
  constructor(code: FormatErrorCode, message: string) {
    super(message);
    this.name = "FormatError";
    this.code = code;
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

/** Non-empty lines of a JSON Lines text, parsed. */
export function parseJsonLines(format: string, text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), index }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, index }) => parseJson(format, line, `on line ${index + 1}`));
}
