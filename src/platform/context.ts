import type { Pool } from "./db/pool.ts";

/** What every use case runs against: the database and the clock. */
export interface Services {
  readonly pool: Pool;
  /** the clock the services read (deadlines, ballots, demands); default the system clock. Tests inject one. */
  readonly now?: () => Date;
}

/** The services' current time. */
export function nowOf(s: Services): Date {
  return s.now ? s.now() : new Date();
}
