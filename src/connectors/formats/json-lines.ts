/** The one JSON Lines reader: every non-empty line parsed, with its 1-based line number. */
export interface JsonLine {
  readonly line: number;
  readonly value: unknown;
}

/** `invalid` builds the error for a line that is not JSON, from its number and JSON.parse's reason. */
export function readJsonLines(text: string, invalid: (line: number, reason: string) => Error): JsonLine[] {
  const lines: JsonLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === "") return;
    try {
      lines.push({ line: index + 1, value: JSON.parse(trimmed) as unknown });
    } catch (error) {
      throw invalid(index + 1, error instanceof Error ? error.message : String(error));
    }
  });
  return lines;
}
