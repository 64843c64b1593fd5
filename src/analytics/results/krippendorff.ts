/** Krippendorff's α from reliability data (units × coders, null = missing), via the coincidence matrix. */
import { ResultsError } from "./types.ts";

export type AlphaLevel = "nominal" | "ordinal" | "interval";

/** α = 1 − D_observed / D_expected; null when no unit has two values or all values are equal (undefined). */
export function krippendorffAlpha(units: readonly (readonly (number | string | null)[])[], level: AlphaLevel): number | null {
  if (level !== "nominal" && units.some((unit) => unit.some((value) => value !== null && typeof value !== "number"))) {
    throw new ResultsError("invalid_input", `${level} α needs numeric values`);
  }
  const pairable = units.map((unit) => unit.filter((value): value is number | string => value !== null)).filter((values) => values.length >= 2);
  const categories = [...new Set(pairable.flat())].sort((x, y) => (typeof x === "number" && typeof y === "number" ? x - y : String(x) < String(y) ? -1 : 1));
  const position = new Map(categories.map((value, i) => [value, i]));
  const size = categories.length;
  const coincidences = Array.from({ length: size }, () => new Float64Array(size));
  // Per unit, from category counts: o[c][k] += n_c · (n_k − [c = k]) / (m − 1), linear in the unit's size
  // (every ordered pair of distinct values, without enumerating the pairs).
  for (const values of pairable) {
    const counts = new Map<number, number>();
    for (const value of values) {
      const c = position.get(value) ?? 0;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const weight = 1 / (values.length - 1);
    for (const [c, nc] of counts) {
      const row = coincidences[c] as Float64Array;
      for (const [k, nk] of counts) row[k] = (row[k] ?? 0) + (nc * (c === k ? nk - 1 : nk)) * weight;
    }
  }
  const marginals = coincidences.map((row) => row.reduce((sum, value) => sum + value, 0));
  const total = marginals.reduce((sum, value) => sum + value, 0);
  if (total <= 1) return null;
  const delta = distance(level, categories, marginals);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) {
      const d = delta(c, k);
      observed += (coincidences[c]?.[k] ?? 0) * d;
      expected += (marginals[c] ?? 0) * (marginals[k] ?? 0) * d;
    }
  }
  expected /= total - 1;
  return expected > 0 ? 1 - observed / expected : null;
}

function distance(level: AlphaLevel, categories: readonly (number | string)[], marginals: readonly number[]): (c: number, k: number) => number {
  if (level === "nominal") return (c, k) => (c === k ? 0 : 1);
  if (level === "interval") return (c, k) => (Number(categories[c]) - Number(categories[k])) ** 2;
  const cumulative = marginals.reduce<number[]>((sums, value) => [...sums, (sums[sums.length - 1] ?? 0) + value], []);
  return (c, k) => {
    const low = Math.min(c, k);
    const high = Math.max(c, k);
    const between = (cumulative[high] ?? 0) - (low > 0 ? (cumulative[low - 1] ?? 0) : 0);
    return (between - ((marginals[c] ?? 0) + (marginals[k] ?? 0)) / 2) ** 2;
  };
}
