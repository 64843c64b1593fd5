/**
 * A small cache of computations by key, least recently used out first. It keeps the promise, not only the
 * value: requests that arrive while a value is being computed wait for that one computation instead of
 * starting their own (a burst of identical public requests costs one refit). A failed computation is
 * forgotten so the next request tries again. Keys must say which data version they were computed from.
 */
export function memoCache<T>(size: number): (key: string, compute: () => Promise<T>) => Promise<T> {
  const entries = new Map<string, Promise<T>>();
  return (key, compute) => {
    const hit = entries.get(key);
    if (hit) {
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    }
    const pending = compute();
    entries.set(key, pending);
    pending.catch(() => entries.delete(key));
    if (entries.size > size) entries.delete(entries.keys().next().value as string);
    return pending;
  };
}
