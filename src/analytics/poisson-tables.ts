/**
 * The multinomial sampler's tables, built once per set of cells (the sampler keeps the last): per cell, an exact alias table of its Poisson's
 * central values (with two symbols for its tails), and the categorical alias table over the cells. How the
 * draws use them, and why they are exact: multinomial-sampler.ts.
 */
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** The tabulated range: at least mean ± this many standard deviations (plus a few counts), widened to fill its buckets. */
const TABLE_DEVIATIONS = 3;
/** The set-up's table of 1/k covers k below this. */
const RECIPROCALS = 1 << 16;

export const TWO_32 = 4294967296;

/** Per cell with a positive mean: its tabulated values lo..lo+length−1 (length = 2^bits − 2), its alias table, its tails. */
export interface PoissonTables {
  readonly cell: Int32Array;
  readonly mean: Float64Array;
  readonly lo: Int32Array;
  readonly length: Int32Array;
  /** b: the cell has 2^b buckets, the last two symbols (length and length + 1) standing for the tails below lo and above hi */
  readonly bits: Int32Array;
  readonly offset: Int32Array;
  /** per cell, at offset + bucket: cut·2^b + alias (see packedAlias), as a signed 32-bit integer */
  readonly entry: Int32Array;
  /** P(X < lo) and P(X > lo + length − 1), for the tails' inversion */
  readonly below: Float64Array;
  readonly above: Float64Array;
  /** P(X = lo) and P(X = lo + length − 1), where the tails' term-by-term inversion starts */
  readonly pmfLo: Float64Array;
  readonly pmfHi: Float64Array;
}

/** An alias table over 2^bits buckets with its entries packed (see packedAlias). */
export interface PackedAlias {
  readonly bits: number;
  readonly entry: Int32Array;
}

export function poissonTables(means: Float64Array): PoissonTables {
  let cells = 0;
  for (const mean of means) if (mean > 0) cells += 1;
  const cell = new Int32Array(cells);
  const mean = new Float64Array(cells);
  const lo = new Int32Array(cells);
  const length = new Int32Array(cells);
  const bits = new Int32Array(cells);
  const offset = new Int32Array(cells);
  let size = 0;
  let widest = 0;
  for (let k = 0, c = 0; k < means.length; k++) {
    const m = means[k] as number;
    if (!(m > 0)) continue;
    // at least mean ± TABLE_DEVIATIONS·√mean (plus a few counts), widened on both sides to fill 2^b − 2 values
    const spread = TABLE_DEVIATIONS * Math.sqrt(m);
    const least = Math.max(0, Math.floor(m - spread - 2));
    const most = Math.ceil(m + spread + 3);
    const b = Math.max(2, Math.ceil(Math.log2(most - least + 1 + 2)));
    const buckets = 2 ** b;
    cell[c] = k;
    mean[c] = m;
    lo[c] = Math.max(0, least - Math.floor((buckets - 2 - (most - least + 1)) / 2));
    length[c] = buckets - 2;
    bits[c] = b;
    offset[c] = size;
    size += buckets;
    widest = Math.max(widest, buckets);
    c += 1;
  }
  const tables: PoissonTables = {
    cell,
    mean,
    lo,
    length,
    bits,
    offset,
    entry: new Int32Array(size),
    below: new Float64Array(cells),
    above: new Float64Array(cells),
    pmfLo: new Float64Array(cells),
    pmfHi: new Float64Array(cells),
  };
  let highest = 0;
  for (let c = 0; c < cells; c++) highest = Math.max(highest, (lo[c] as number) + (length[c] as number));
  // 1/k up to each table's end and well into its upper tail, at most 2¹⁶ of them (beyond, the recurrences divide)
  const reciprocals = new Float64Array(Math.min(RECIPROCALS, Math.ceil(highest + 10 * Math.sqrt(highest) + 50)));
  for (let k = 1; k < reciprocals.length; k++) reciprocals[k] = 1 / k;
  const work: AliasWork = { reciprocals, pmf: new Float64Array(widest), counts: new Float64Array(widest), small: new Int32Array(widest), large: new Int32Array(widest) };
  for (let c = 0; c < cells; c++) fillCell(tables, c, work);
  return tables;
}

/** Scratch space for building alias tables of up to its length's buckets (and 1/k for the pmf's recurrences). */
interface AliasWork {
  readonly reciprocals: Float64Array;
  readonly pmf: Float64Array;
  readonly counts: Float64Array;
  readonly small: Int32Array;
  readonly large: Int32Array;
}

/** Cell c's pmf over its range from the mode outwards, the mass of both tails, and its alias table. */
function fillCell(tables: PoissonTables, c: number, work: AliasWork): void {
  const mean = tables.mean[c] as number;
  const lo = tables.lo[c] as number;
  const size = tables.length[c] as number;
  const hi = lo + size - 1;
  const { pmf, counts } = work;
  const mode = Math.min(hi, Math.max(lo, Math.floor(mean)));
  // multiplications by 1/mean and by a table of 1/k rather than divisions: the set-up's recurrences are its cost
  const inverseMean = 1 / mean;
  const inverse = work.reciprocals;
  pmf[mode - lo] = Math.exp(-mean + mode * Math.log(mean) - logFactorial(mode));
  for (let k = mode + 1; k <= hi; k++) pmf[k - lo] = k < inverse.length ? (pmf[k - lo - 1] as number) * mean * (inverse[k] as number) : ((pmf[k - lo - 1] as number) * mean) / k;
  for (let k = mode - 1; k >= lo; k--) pmf[k - lo] = (pmf[k - lo + 1] as number) * (k + 1) * inverseMean;
  // the tails' masses, to double precision (terms below 1e-17 of the sum so far change nothing)
  let below = 0;
  let term = pmf[0] as number;
  for (let k = lo; k > 0; k--) {
    term = term * k * inverseMean;
    below += term;
    if (term < 1e-17 * below) break;
  }
  let above = 0;
  term = pmf[size - 1] as number;
  for (let k = hi + 1; term > 0; k++) {
    term = k < inverse.length ? term * mean * (inverse[k] as number) : (term * mean) / k;
    above += term;
    if (term < 1e-17 * above) break;
  }
  // each value's share of the 2³² uniforms: differences of the rounded-up cumulative distribution
  let cumulative = below;
  let previous = scaledUp(below);
  counts[size] = previous;
  for (let j = 0; j < size; j++) {
    cumulative += pmf[j] as number;
    const next = scaledUp(cumulative);
    counts[j] = next - previous;
    previous = next;
  }
  counts[size + 1] = TWO_32 - previous;
  const b = tables.bits[c] as number;
  packedAlias(counts, b, tables.entry, tables.offset[c] as number, work);
  tables.below[c] = below;
  tables.above[c] = above;
  tables.pmfLo[c] = pmf[0] as number;
  tables.pmfHi[c] = pmf[size - 1] as number;
}

/** ⌈p·2³²⌉, at most 2³². */
function scaledUp(p: number): number {
  return Math.min(Math.ceil(p * TWO_32), TWO_32);
}

/**
 * Walker's alias table (Vose's construction) for 2^b symbols with whole-number weights `counts` summing to 2³²,
 * into `entry` from `from`: bucket s holds its own symbol for the 32-bit uniforms whose low 32 − b bits are
 * below its cut, and its alias for the rest, packed as cut·2^b + alias (the cut is below 2^(32−b): a bucket its
 * own symbol fills entirely has itself as alias and cut 0). All integer arithmetic in doubles, hence exact:
 * each symbol gets exactly its count of uniforms. `counts` is overwritten.
 */
function packedAlias(counts: Float64Array, b: number, entry: Int32Array, from: number, work: AliasWork): void {
  const buckets = 2 ** b;
  const capacity = 2 ** (32 - b);
  const { small, large } = work;
  let smalls = 0;
  let larges = 0;
  for (let s = 0; s < buckets; s++) {
    if ((counts[s] as number) < capacity) small[smalls++] = s;
    else large[larges++] = s;
  }
  while (smalls > 0 && larges > 0) {
    const less = small[--smalls] as number;
    const more = large[--larges] as number;
    const kept = counts[less] as number;
    entry[from + less] = (kept * buckets + more) | 0;
    const left = (counts[more] as number) - (capacity - kept);
    counts[more] = left;
    if (left < capacity) small[smalls++] = more;
    else large[larges++] = more;
  }
  // what is left fills its bucket exactly (the counts sum to 2³²)
  while (smalls > 0) {
    const s = small[--smalls] as number;
    entry[from + s] = s;
  }
  while (larges > 0) {
    const s = large[--larges] as number;
    entry[from + s] = s;
  }
}

const SMALL_LOG_FACTORIALS = (() => {
  const table = new Float64Array(64);
  for (let k = 1; k < table.length; k++) table[k] = (table[k - 1] ?? 0) + Math.log(k);
  return table;
})();

/** log(k!): a table below 64, Stirling's series (error < 1e-14) above. */
export function logFactorial(k: number): number {
  if (k < SMALL_LOG_FACTORIALS.length) return SMALL_LOG_FACTORIALS[k] ?? 0;
  const k1 = k + 1;
  const inverse = 1 / k1;
  const inverse2 = inverse * inverse;
  return (k1 - 0.5) * Math.log(k1) - k1 + LOG_SQRT_2PI + inverse * (1 / 12 - inverse2 * (1 / 360 - inverse2 / 1260));
}

/** The categorical draw over the cells: their probabilities as whole numbers of 2³²-ths (rounded cumulative sums), in a packed alias table. */
export function categoricalAlias(weights: ArrayLike<number>, mass: number): PackedAlias {
  const count = weights.length;
  const bits = Math.max(1, Math.ceil(Math.log2(Math.max(count, 2))));
  const buckets = 2 ** bits;
  const counts = new Float64Array(buckets);
  let cumulative = 0;
  let previous = 0;
  for (let k = 0; k < count; k++) {
    cumulative += mass > 0 ? (weights[k] ?? 0) : 1;
    const next = k === count - 1 ? TWO_32 : Math.round((cumulative / (mass > 0 ? mass : count)) * TWO_32);
    counts[k] = next - previous;
    previous = next;
  }
  const entry = new Int32Array(buckets);
  packedAlias(counts, bits, entry, 0, { reciprocals: counts, pmf: counts, counts, small: new Int32Array(buckets), large: new Int32Array(buckets) });
  return { bits, entry };
}

