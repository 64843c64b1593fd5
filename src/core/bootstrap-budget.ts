/**
 * How much bootstrap work a results request may ask for. A bootstrap interval refits Bradley–Terry once per
 * round, so `rounds=5000` with a new `seed` each time costs seconds of CPU per request and defeats the
 * results cache. The public (anyone who is not an organiser or observer of the evaluation) gets the
 * default rounds and seed, which are cached and reproducible: at most DEFAULT_BOOTSTRAP_ROUNDS rounds and
 * no seed other than the default. Organisers and observers may go up to MAX_BOOTSTRAP_ROUNDS with any seed.
 */
import { AppError } from "./errors.ts";
import { OVERSEERS, type Role } from "./evaluation.ts";

export const DEFAULT_BOOTSTRAP_ROUNDS = 1000;
export const DEFAULT_BOOTSTRAP_SEED = 0;
export const MAX_BOOTSTRAP_ROUNDS = 5000;
export const MAX_BOOTSTRAP_SEED = 2 ** 31;

const BOOTSTRAP_OPTION_MAX = { rounds: MAX_BOOTSTRAP_ROUNDS, seed: MAX_BOOTSTRAP_SEED } as const;

/** What is wrong with a bootstrap option given on a command line (a whole number from 0 to its maximum), or null. */
export function bootstrapOptionProblem(name: keyof typeof BOOTSTRAP_OPTION_MAX, value: number): string | null {
  const max = BOOTSTRAP_OPTION_MAX[name];
  return Number.isSafeInteger(value) && value >= 0 && value <= max ? null : `--${name} takes a whole number from 0 to ${max}`;
}

/** Roles that may choose their own rounds (up to the maximum) and seed. */
export const BOOTSTRAP_CHOOSERS: readonly Role[] = OVERSEERS;

/** Refuses (400, naming the field and the rule) a bootstrap the caller's role may not ask for. */
export function assertBootstrapAllowed(role: Role | null, options: { rounds?: number | undefined; seed?: number | undefined }): void {
  const rounds = options.rounds ?? DEFAULT_BOOTSTRAP_ROUNDS;
  if (rounds > MAX_BOOTSTRAP_ROUNDS) {
    throw new AppError("validation_failed", `rounds may be at most ${MAX_BOOTSTRAP_ROUNDS}`, "rounds", "max_rounds");
  }
  if (role && BOOTSTRAP_CHOOSERS.includes(role)) return;
  if (rounds > DEFAULT_BOOTSTRAP_ROUNDS) {
    throw new AppError(
      "validation_failed",
      `rounds above ${DEFAULT_BOOTSTRAP_ROUNDS} (the default) are for the evaluation's organisers and observers; leave rounds out or ask for at most ${DEFAULT_BOOTSTRAP_ROUNDS}`,
      "rounds",
      "public_rounds_limit",
    );
  }
  if (options.seed !== undefined && options.seed !== DEFAULT_BOOTSTRAP_SEED) {
    throw new AppError(
      "validation_failed",
      `choosing the bootstrap seed is for the evaluation's organisers and observers; the public results use seed ${DEFAULT_BOOTSTRAP_SEED}, which is cached and reproducible`,
      "seed",
      "public_default_seed",
    );
  }
}

/** Whether the request asks for anything beyond what the public may ask for (only then does the role matter). */
export function asksBeyondPublicBootstrap(options: { rounds?: number | undefined; seed?: number | undefined }): boolean {
  return (options.rounds ?? DEFAULT_BOOTSTRAP_ROUNDS) > DEFAULT_BOOTSTRAP_ROUNDS || (options.seed !== undefined && options.seed !== DEFAULT_BOOTSTRAP_SEED);
}
