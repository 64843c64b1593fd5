/** One line for any failure, never a stack trace or "undefined" (COUNTERPUBLIC_DEBUG=1 adds the stack). */
export function failureLine(error: unknown): string {
  const message = error instanceof Error ? error.message : error === undefined || error === null ? "" : String(error);
  const first = message.split("\n").find((line) => line.trim() !== "")?.trim();
  return `counterpublic: ${first ?? "failed without a message (set COUNTERPUBLIC_DEBUG=1 for details)"}`;
}
