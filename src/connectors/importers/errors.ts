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
}
