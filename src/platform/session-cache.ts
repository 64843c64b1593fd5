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
/**
 * Sessions and users whose sessions ended in this process in the last SESSION_TTL_MS (`s:` + hash of the token,
 * or `u:` + user id → when): a look-up that began
 * before the sign-out or revocation must not put the session back into the cache when it returns.
 */
const ended = new Map<string, number>();

function markEnded(key: string, now = Date.now()): void {
  for (const [hash, at] of ended) if (at + SESSION_TTL_MS <= now) ended.delete(hash);
  ended.set(key, now);
}

function endedRecently(key: string, now: number): boolean {
  const at = ended.get(key);
  return at !== undefined && at + SESSION_TTL_MS > now;
}

const hashOf = (value: string): string => createHash("sha256").update(value).digest("base64url");

const SESSION_COOKIES = new Set(["better-auth.session_token", "__Secure-better-auth.session_token"]);

/**
 * The session token cookie's value in a Cookie header, or null — also null when there is more than one session
 * cookie (say a plain one planted beside the `__Secure-` one): which of them better-auth reads depends on its
 * settings, so such a request is never answered from, nor written to, the cache.
 */
export function sessionTokenOf(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  let found: string | null = null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || !SESSION_COOKIES.has(part.slice(0, eq).trim())) continue;
    if (found !== null) return null;
    found = part.slice(eq + 1).trim();
  }
  return found || null;
}

/** The session token a signed cookie value carries (`token.signature`, possibly percent-encoded). */
function tokenInCookie(cookieToken: string): string {
  let value = cookieToken;
  try {
    value = decodeURIComponent(cookieToken);
  } catch {
    // not percent-encoded: read as it is
  }
  return value.split(".")[0] ?? "";
}

export async function cachedActor(cookieToken: string | null, load: () => Promise<FoundSession>, now = Date.now()): Promise<CachedActor> {
  if (!cookieToken) return (await load()).actor;
  const key = hashOf(cookieToken);
  const hit = entries.get(key);
  if (hit && hit.until > now) return hit.actor;
  const found = await load();
  entries.delete(key);
  // cached under this cookie only when it is the very session better-auth found
  if (found.actor.userId && found.session && tokenInCookie(cookieToken) === found.session.token) {
    if (entries.size >= MAX_ENTRIES) evict(now);
    const until = Math.min(now + SESSION_TTL_MS, found.session.expiresAt.getTime());
    const sessionEnded = endedRecently(`s:${hashOf(found.session.token)}`, now) || endedRecently(`u:${found.actor.userId}`, now);
    if (until > now && !sessionEnded) entries.set(key, { until, actor: found.actor, sessionTokenHash: hashOf(found.session.token) });
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
  if (!cookieToken) return;
  entries.delete(hashOf(cookieToken));
  markEnded(`s:${hashOf(tokenInCookie(cookieToken))}`);
}

/** Drops a session named by its own token (better-auth's revoke-session takes that token). */
export function forgetSessionToken(sessionToken: string): void {
  const hash = hashOf(sessionToken);
  markEnded(`s:${hash}`);
  for (const [key, entry] of entries) if (entry.sessionTokenHash === hash) entries.delete(key);
}

/** Drops every session of a user (their sessions revoked, their password changed, their account deleted or merged). */
export function forgetUser(userId: string): void {
  markEnded(`u:${userId}`);
  for (const [key, entry] of entries) if (entry.actor.userId === userId) entries.delete(key);
}

/** How many sessions are cached (for tests). */
export function cachedSessionCount(): number {
  return entries.size;
}
