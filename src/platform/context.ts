import type { OutboundPolicy } from "../core/outbound.ts";
import type { Pool } from "./db/pool.ts";

/** The operator's settings for live subjects (see platform/live-settings.ts). */
export interface LiveSettings {
  /** which addresses endpoints may reach; `lookup` replaces DNS (tests) */
  readonly outbound: {
    readonly policy: OutboundPolicy;
    readonly lookup?: (hostname: string) => Promise<readonly { address: string; family: number }[]>;
  };
  /** the folder GGUF subjects' model files must be in; null: GGUF subjects are refused */
  readonly modelsDir: string | null;
}

/** What every use case runs against: the database, the clock, the server secret and the operator's settings. */
export interface Services {
  readonly pool: Pool;
  /** the server secret (COUNTERPUBLIC_SECRET): API keys are encrypted at rest under a key derived from it */
  readonly secret?: string;
  /** absent: the defaults (public endpoints only, no local models) */
  readonly live?: LiveSettings;
  /** the clock the services read (deadlines, ballots, demands); default the system clock. Tests inject one. */
  readonly now?: () => Date;
}

/** The services' current time. */
export function nowOf(s: Services): Date {
  return s.now ? s.now() : new Date();
}
