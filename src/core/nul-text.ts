/**
 * Rule `no_nul`: text never holds a NUL character (PostgreSQL refuses it in text, so it would surface as a
 * 500). Checked on every request body (platform/http/request-guards.ts) and on every imported file's content,
 * where a JSON file can carry one escaped (modules/imports importBatch).
 */

/** The first place a NUL character hides in a value (strings, arrays, objects, keys), as a dotted path, or null. */
export function nulFieldIn(value: unknown, path = "body"): string | null {
  const trail = nulTrail(value);
  return trail === null ? null : [path, ...trail.reverse()].join(".");
}

/**
 * The path to the first NUL, innermost step first, or null. The path is built only when a NUL is found: an upload's
 * body holds hundreds of thousands of values, and naming each one on the way cost more than the search.
 */
function nulTrail(value: unknown): string[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? [] : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulTrail(value[i]);
      if (found) return (found.push(String(i)), found);
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const key of Object.keys(value)) {
      if (key.includes("\u0000")) return [key.split("\u0000").join("\\0")];
      const found = nulTrail((value as Record<string, unknown>)[key]);
      if (found) return (found.push(key), found);
    }
  }
  return null;
}
