/**
 * A rating anchor beyond this magnitude is refused: far from any rating scale in use (Arena's is about 1,000),
 * and near 1e308 the ratings lose their precision and every subject lands in one tier.
 */
export const MAX_ANCHOR = 1_000_000;

/** `NAME=VALUE`: put subject NAME at rating VALUE (|VALUE| ≤ MAX_ANCHOR). The name may contain "=", the value follows the last one. */
export function parseAnchor(text: string): { name: string; value: number } | null {
  const split = text.lastIndexOf("=");
  const name = text.slice(0, split);
  const raw = text.slice(split + 1).trim();
  const value = Number(raw);
  return split > 0 && raw !== "" && Number.isFinite(value) && Math.abs(value) <= MAX_ANCHOR ? { name, value } : null;
}
