import { AppError } from "../../core/errors.ts";

/** A file that cannot be imported: names the file, the line and what is wrong. */
export class ImportError extends AppError<"invalid_file"> {
  readonly source: string;
  readonly line: number | null;
  constructor(source: string, line: number | null, message: string) {
    super("invalid_file", `${source}${line ? `:${line}` : ""}: ${message}`, "content");
    this.source = source;
    this.line = line;
  }
}
