/**
 * Rule `no_nul`: text never holds a NUL character (PostgreSQL refuses it in text, so it would surface as a
 * 500). Checked on every request body (platform/http/request-guards.ts) and on every imported file's content,
 * where a JSON file can carry one escaped (modules/imports importBatch).
 */

interface Visit {
  value: unknown;
  /** this value's key in its parent (null for the root) */
  key: string | null;
  parent: Visit | null;
}

function pathOf(visit: Visit, root: string): string {
  const keys: string[] = [];
  for (let v: Visit | null = visit; v && v.key !== null; v = v.parent) keys.push(v.key.split("\u0000").join("\\0"));
  return [root, ...keys.reverse()].join(".");
}

/**
 * The first place a NUL character hides in a value (strings, arrays, objects, keys), as a dotted path, or null.
 * Walked with an explicit stack: a JSON body nested a hundred thousand levels deep (well within 1 MiB) must be
 * answered, not overflow the call stack; the path is spelled only for the one place found.
 */
export function nulFieldIn(value: unknown, path = "body"): string | null {
  const stack: Visit[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    if (visit.key?.includes("\u0000")) return pathOf(visit, path);
    const current = visit.value;
    if (typeof current === "string") {
      if (current.includes("\u0000")) return pathOf(visit, path);
      continue;
    }
    if (!current || typeof current !== "object") continue;
    // pushed last-first, so the first entry is looked at first, as a recursive walk would
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], key: String(i), parent: visit });
      continue;
    }
    const keys = Object.keys(current);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      stack.push({ value: (current as Record<string, unknown>)[key], key, parent: visit });
    }
  }
  return null;
}
