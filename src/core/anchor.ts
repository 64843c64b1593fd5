/** `NAME=VALUE`: put subject NAME at rating VALUE. The name may contain "=", the value follows the last one. */
export function parseAnchor(text: string): { name: string; value: number } | null {
  const split = text.lastIndexOf("=");
  const name = text.slice(0, split);
  const raw = text.slice(split + 1).trim();
  const value = Number(raw);
  return split > 0 && raw !== "" && Number.isFinite(value) ? { name, value } : null;
}
