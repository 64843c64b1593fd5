import type { z } from "zod";

/** A file that cannot be imported: names the file, the line and what is wrong. */
export class ImportError extends Error {
  readonly source: string;
  readonly line: number | null;
  constructor(source: string, line: number | null, message: string) {
    super(`${source}${line ? `:${line}` : ""}: ${message}`);
    this.name = "ImportError";
    this.source = source;
    this.line = line;
  }
  static fromZod(source: string, line: number, error: z.ZodError): ImportError {
    const issue = error.issues[0];
    const field = issue?.path.join(".") || "(row)";
    return new ImportError(source, line, `${field}: ${issue?.message ?? "invalid"}`);
  }
}

export function readJsonLines<T>(text: string, schema: z.ZodType<T>, source: string): T[] {
  const out: T[] = [];
  text.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ImportError(source, index + 1, "not valid JSON");
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw ImportError.fromZod(source, index + 1, parsed.error);
    out.push(parsed.data);
  });
  return out;
}
