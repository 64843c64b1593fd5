/**
 * A short in-process cache of session look-ups (better-auth's getSession costs two queries), so a client's burst
 * of requests costs one look-up, not one each.
 *
 * Keys are SHA-256 hashes of the session cookie's value (better-auth's signed `…session_token`), so the process
 * never holds a usable token; an entry also holds the hash of the session's own token (what revocation names) and
 * its user, so that this process forgets at once a session signed out or revoked here, and every session of a
 * user whose sessions were revoked or whose account was deleted here.
 *
 * Revocation elsewhere (another instance, a database edit, expiry) is seen within SESSION_TTL_MS: until then this
 * instance still lets the session act. Only found sessions are cached; a request without the cookie, or with one
 * that resolved to nobody, always asks better-auth. At most MAX_ENTRIES entries, the oldest dropped first.
 */
import { createHash } from "node:crypto";

export const SESSION_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

export interface CachedActor {
  readonly userId: string | null;
  readonly isAnonymous: boolean;
}

/** What a look-up found: the actor, and for a found session its own token and expiry. */
export interface FoundSession {
  readonly actor: CachedActor;
  readonly session?: { readonly token: string; readonly expiresAt: Date };
}

interface Entry {
  readonly until: number;
  readonly actor: CachedActor;
  readonly sessionTokenHash: string;
}

const entries = new Map<string, Entry>();

const hashOf = (value: string): string => createHash("sha256").update(value).digest("base64url");

/** The session token cookie's value in a Cookie header, or null. */
export function sessionTokenOf(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === "better-auth.session_token" || name === "__Secure-better-auth.session_token") return part.slice(eq + 1).trim() || null;
  }
  return null;
}

export async function cachedActor(cookieToken: string | null, load: () => Promise<FoundSession>, now = Date.now()): Promise<CachedActor> {
  if (!cookieToken) return (await load()).actor;
  const key = hashOf(cookieToken);
  const hit = entries.get(key);
  if (hit && hit.until > now) return hit.actor;
  const found = await load();
  entries.delete(key);
  if (found.actor.userId && found.session) {
    if (entries.size >= MAX_ENTRIES) evict(now);
    const until = Math.min(now + SESSION_TTL_MS, found.session.expiresAt.getTime());
    if (until > now) entries.set(key, { until, actor: found.actor, sessionTokenHash: hashOf(found.session.token) });
  }
  return found.actor;
}

/** Expired entries first; if the cache is still full, the oldest tenth (a Map iterates in insertion order). */
function evict(now: number): void {
  for (const [key, entry] of entries) if (entry.until <= now) entries.delete(key);
  if (entries.size < MAX_ENTRIES) return;
  let drop = Math.ceil(MAX_ENTRIES / 10);
  for (const key of entries.keys()) {
    if (drop-- <= 0) break;
    entries.delete(key);
  }
}

/** Drops the session behind a cookie at once (this instance's sign-out). */
export function forgetSession(cookieToken: string | null): void {
  if (cookieToken) entries.delete(hashOf(cookieToken));
}

/** Drops a session named by its own token (better-auth's revoke-session takes that token). */
export function forgetSessionToken(sessionToken: string): void {
  const hash = hashOf(sessionToken);
  for (const [key, entry] of entries) if (entry.sessionTokenHash === hash) entries.delete(key);
}

/** Drops every session of a user (their sessions revoked, their password changed, their account deleted or merged). */
export function forgetUser(userId: string): void {
  for (const [key, entry] of entries) if (entry.actor.userId === userId) entries.delete(key);
}

/** How many sessions are cached (for tests). */
export function cachedSessionCount(): number {
  return entries.size;
}
