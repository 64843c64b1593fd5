/**
 * The whole test suite: one real PostgreSQL for the run, a migrated template database that each
 * test file clones (see test/support/db.ts), then node's test runner over test/.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, createPool } from "../src/platform/db/pool.ts";
import { startEmbeddedPostgres } from "../src/platform/db/embedded.ts";
import { migrate } from "../src/platform/db/migrate.ts";

const TEMPLATE = "counterpublic_template";

/** Node 20's test runner takes no globs, so the test files are listed here. */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".test.ts"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

async function main(): Promise<number> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "counterpublic-test-"));
  const server = await startEmbeddedPostgres({ dataDir, persistent: false, notice: () => undefined });
  const interrupted = () => void server.stop().finally(() => process.exit(130));
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    await createDatabase(server.url("postgres"), TEMPLATE);
    const pool = createPool(server.url(TEMPLATE), 2);
    await migrate(pool);
    await pool.end();
    const files = process.argv.slice(2);
    const args = ["--import", "tsx", "--test", "--test-concurrency=2", ...(files.length ? files : testFiles("test"))];
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, args, {
        stdio: "inherit",
        env: { ...process.env, COUNTERPUBLIC_TEST_ADMIN_URL: server.url("postgres"), COUNTERPUBLIC_TEST_TEMPLATE: TEMPLATE },
      });
      child.on("exit", (code) => resolve(code ?? 1));
    });
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
