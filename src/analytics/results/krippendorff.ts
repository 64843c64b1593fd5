/** Krippendorff's α from reliability data (units × coders, null = missing), via the coincidence matrix. */
import { ResultsError } from "./types.ts";

export type AlphaLevel = "nominal" | "ordinal" | "interval";

/** α = 1 − D_observed / D_expected; null when no unit has two values or all values are equal (undefined). */
export function krippendorffAlpha(units: readonly (readonly (number | string | null)[])[], level: AlphaLevel): number | null {
  if (level !== "nominal" && units.some((unit) => unit.some((value) => value !== null && typeof value !== "number"))) {
    throw new ResultsError("invalid_input", `${level} α needs numeric values`);
  }
  // the units with at least two values, and their values' categories, without copying the units
  const pairable = units.filter((unit) => countValues(unit) >= 2);
  const seen = new Set<number | string>();
  for (const unit of pairable) for (const value of unit) if (value !== null) seen.add(value);
  const categories = [...seen].sort((x, y) => (typeof x === "number" && typeof y === "number" ? x - y : String(x) < String(y) ? -1 : 1));
  const position = new Map(categories.map((value, i) => [value, i]));
  const size = categories.length;
  const coincidences = Array.from({ length: size }, () => new Float64Array(size));
  // Per unit, from category counts: o[c][k] += n_c · (n_k − [c = k]) / (m − 1), linear in the unit's size
  // (every ordered pair of distinct values, without enumerating the pairs). The counts are kept in one array for
  // all units, with the categories met listed in the order they were met.
  const counts = new Float64Array(size);
  const met: number[] = [];
  for (const unit of pairable) {
    met.length = 0;
    for (const value of unit) {
      if (value === null) continue;
      const c = position.get(value) ?? 0;
      if (counts[c] === 0) met.push(c);
      counts[c] = (counts[c] as number) + 1;
    }
    const weight = 1 / (countValues(unit) - 1);
    for (const c of met) {
      const row = coincidences[c] as Float64Array;
      const nc = counts[c] as number;
      for (const k of met) {
        const nk = counts[k] as number;
        row[k] = (row[k] ?? 0) + nc * (c === k ? nk - 1 : nk) * weight;
      }
    }
    for (const c of met) counts[c] = 0;
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

function countValues(unit: readonly (number | string | null)[]): number {
  let n = 0;
  for (const value of unit) if (value !== null) n++;
  return n;
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
