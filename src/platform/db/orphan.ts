/**
 * A PostgreSQL left running on our data folder. After `kill -9` of the app, its embedded PostgreSQL
 * survives and holds the folder (postmaster.pid): a new start must not fail on it. The app that started
 * PostgreSQL writes its own pid beside the cluster; if that app is gone the PostgreSQL is an orphan and
 * the next start adopts it, and if that app is alive the folder is in use by it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface RunningPostmaster {
  pid: number;
  port: number;
}

const OWNER_FILE = "owner.pid";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

function postmasterPidOf(databaseDir: string): number | null {
  const file = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * A PostgreSQL killed a moment ago can still hold its pid (dying, or a zombie not yet reaped), and a new one
 * then refuses the data folder ("lock file already exists"). Waits, bounded, until that process is gone.
 */
export async function waitForDyingPostmaster(databaseDir: string, timeoutMs = 15_000): Promise<void> {
  const pid = postmasterPidOf(databaseDir);
  if (pid === null) return;
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && !/postgres/.test(commandOf(pid)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** The PostgreSQL serving `databaseDir` right now, read from its postmaster.pid, or null. */
export function runningPostmaster(databaseDir: string): RunningPostmaster | null {
  const file = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(file)) return null;
  const [pidLine, , , portLine] = readFileSync(file, "utf8").split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  if (!alive(pid) || !/postgres/.test(commandOf(pid))) return null;
  return { pid, port };
}

/** The live app process that started the PostgreSQL of this cluster, if any (never this process). */
export function liveOwner(databaseDir: string): number | null {
  const file = path.join(path.dirname(databaseDir), OWNER_FILE);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return null;
  return /node|counterpublic/.test(commandOf(pid)) ? pid : null;
}

export function claimOwnership(databaseDir: string): void {
  writeFileSync(path.join(path.dirname(databaseDir), OWNER_FILE), `${process.pid}\n`);
}

export function releaseOwnership(databaseDir: string): void {
  const file = path.join(path.dirname(databaseDir), OWNER_FILE);
  if (existsSync(file) && readFileSync(file, "utf8").trim() === String(process.pid)) rmSync(file, { force: true });
}

/** Fast shutdown of an adopted PostgreSQL (SIGINT: roll back open transactions, checkpoint, exit); waits for it. */
export async function stopPostmaster(pid: number, timeoutMs = 30_000): Promise<void> {
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
