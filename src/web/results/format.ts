import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";

/** Scores on a 0–1 scale get decimals; rating-like scales (≈1000) do not. */
export function formatScore(value: number | null): string {
  if (value === null) return "—";
  return formatNumber(value, Math.abs(value) < 10 ? 2 : 0);
}

export function ruleName(rule: string): string {
  const key = `rules.${rule}.name`;
  const name = t(key);
  return name === key ? rule : name;
}
