import { AppError } from "../../core/errors.ts";

/** A Polis file that cannot be read as a conversation; names the file and (when known) the row. */
export class PolisFormatError extends AppError<"invalid_file"> {
  constructor(
    readonly file: string,
    readonly row: number | null,
    readonly problem: string,
  ) {
    super("invalid_file", `${file}${row === null ? "" : `, row ${row}`}: ${problem}`, "content");
  }
}
