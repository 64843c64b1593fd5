/**
 * CPU time spent by this process and by an embedded PostgreSQL (its postmaster and every backend), from /proc:
 * on a machine shared with other work, CPU milliseconds per unit of work compare runs where wall-clock rates
 * cannot. Linux only; elsewhere PostgreSQL's share reads as NaN.
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const TICK_MS = 10; // USER_HZ is 100 on Linux

function procTicks(pid: number): { ppid: number; ticks: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** CPU ms of the postmaster whose data folder is `databaseDir` and of its children (backends, background workers). */
export function postgresCpuMs(databaseDir: string): number {
  if (os.platform() !== "linux") return NaN;
  const postmaster = Number(readFileSync(path.join(databaseDir, "postmaster.pid"), "utf8").split("\n")[0]);
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = pid === postmaster || procTicks(pid)?.ppid === postmaster ? procTicks(pid) : null;
    if (stat) ticks += stat.ticks;
  }
  return ticks * TICK_MS;
}

/** CPU ms of this process (all its threads). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU ms of the calling thread alone (the main thread, or a worker thread), from /proc/thread-self; NaN elsewhere. */
export function threadCpuMs(): number {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}
