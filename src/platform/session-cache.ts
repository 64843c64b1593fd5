/**
 * A short cache of session look-ups, keyed by the session cookie's token (better-auth's signed
 * `…session_token` cookie value), so a client's burst of requests costs one getSession, not one each.
 *
 * Revocation: a session signed out or revoked elsewhere (another instance, an admin, expiry) keeps working on
 * this instance for at most SESSION_TTL_MS. Only found sessions are cached; a request without the cookie, or
 * with one that resolved to nobody, always asks better-auth.
 */
const SESSION_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

export interface CachedActor {
  readonly userId: string | null;
  readonly isAnonymous: boolean;
}

const entries = new Map<string, { until: number; actor: CachedActor }>();

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

export async function cachedActor(token: string | null, load: () => Promise<CachedActor>, now = Date.now()): Promise<CachedActor> {
  if (!token) return load();
  const hit = entries.get(token);
  if (hit && hit.until > now) return hit.actor;
  const actor = await load();
  if (actor.userId) {
    if (entries.size >= MAX_ENTRIES) {
      for (const [key, entry] of entries) if (entry.until <= now) entries.delete(key);
      if (entries.size >= MAX_ENTRIES) entries.clear();
    }
    entries.set(token, { until: now + SESSION_TTL_MS, actor });
  } else {
    entries.delete(token);
  }
  return actor;
}

/** Drops a token at once (this instance's sign-out). */
export function forgetSession(token: string | null): void {
  if (token) entries.delete(token);
}
