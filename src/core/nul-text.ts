/**
 * Rule `no_nul`: text never holds a NUL character (PostgreSQL refuses it in text, so it would surface as a
 * 500). Checked on every request body (platform/http/request-guards.ts) and on every imported file's content,
 * where a JSON file can carry one escaped (modules/imports importBatch).
 */

/** The first place a NUL character hides in a value (strings, arrays, objects, keys), as a dotted path, or null. */
export function nulFieldIn(value: unknown, path = "body"): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulFieldIn(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes("\u0000")) return `${path}.${key.split("\u0000").join("\\0")}`;
      const found = nulFieldIn(inner, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}
