/** A Polis file that cannot be read as a conversation; names the file and (when known) the row. */
export class PolisFormatError extends Error {
  override readonly name = "PolisFormatError";
  constructor(
    readonly file: string,
    readonly row: number | null,
    readonly problem: string,
  ) {
    super(`${file}${row === null ? "" : `, row ${row}`}: ${problem}`);
  }
}
