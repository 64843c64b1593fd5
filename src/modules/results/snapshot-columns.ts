/** The snapshot's columns as they arrive (base64 text of big-endian words) decoded into typed arrays in seq order. */
import os from "node:os";
import type { JudgmentSnapshot } from "./judgment-snapshot.ts";

/** The rows grouped by person, by counting (stable: each person's rows stay in seq order). */
export function personOrder(who: Int32Array, people: number): { byPerson: Uint32Array; personStart: Uint32Array } {
  const personStart = new Uint32Array(people + 1);
  for (let k = 0; k < who.length; k++) personStart[(who[k] as number) + 1] = (personStart[(who[k] as number) + 1] as number) + 1;
  for (let p = 0; p < people; p++) personStart[p + 1] = (personStart[p + 1] as number) + (personStart[p] as number);
  const fill = personStart.slice(0, people);
  const byPerson = new Uint32Array(who.length);
  for (let k = 0; k < who.length; k++) {
    const p = who[k] as number;
    byPerson[fill[p] as number] = k;
    fill[p] = (fill[p] as number) + 1;
  }
  return { byPerson, personStart };
}

/** Numbers spread wider than this many times the rows listed are looked up in a map rather than a table. */
const TABLE_SPREAD = 4;

/**
 * Replaces, in place, each row number (a participant's, subject's or item's `number`; −1 for none) by its position
 * in `listed`. A number not listed means a judgment refers to a row outside the evaluation read: an error, never a
 * silent miscount.
 */
export function renumber(column: Int32Array, listed: readonly { number: number }[], what: string): void {
  let min = Infinity;
  let max = -Infinity;
  for (const { number } of listed) {
    if (number < min) min = number;
    if (number > max) max = number;
  }
  const span = max - min + 1;
  const table = span > 0 && span <= TABLE_SPREAD * listed.length + 65_536 ? new Int32Array(span).fill(-1) : null;
  const map = table ? null : new Map<number, number>();
  listed.forEach(({ number }, position) => (table ? (table[number - min] = position) : map?.set(number, position)));
  for (let k = 0; k < column.length; k++) {
    const value = column[k] as number;
    if (value < 0) continue;
    const position = table ? (value >= min && value <= max ? (table[value - min] as number) : -1) : (map?.get(value) ?? -1);
    if (position < 0) throw new Error(`a judgment refers to a ${what} (number ${value}) outside its evaluation`);
    column[k] = position;
  }
}

/** The position of `value` in the ascending `sorted`, or −1. */
export function sortedIndexOf(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const at = sorted[middle] as number;
    if (at === value) return middle;
    if (at < value) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

type Columns = Pick<JudgmentSnapshot, "size" | "who" | "item" | "a" | "b" | "kind" | "outcome" | "flags">;

/** The fixed-width columns as typed arrays, in seq order (the scan returns them in table order), and the sorted seqs. */
export function decodeColumns(row: { seq: string | null; who: string | null; pair: string | null; code: string | null }): { seq: Float64Array; columns: Columns } {
  const seqWords = nativeWords(row?.seq);
  const size = seqWords.length / 2;
  const whoWords = nativeWords(row?.who);
  const pairWords = nativeWords(row?.pair);
  const codeWords = nativeWords(row?.code);
  // every column must hold one value per judgment, or the rows would be read misaligned
  if (whoWords.length !== size || pairWords.length !== 2 * size || codeWords.length !== 2 * size) throw new Error("the judgment snapshot's columns differ in length");
  const raw = new Float64Array(size);
  for (let k = 0; k < size; k++) raw[k] = (seqWords[2 * k] as number) * 4294967296 + (seqWords[2 * k + 1] as number);
  const order = ascendingOrder(raw);
  const at = (k: number) => (order ? (order[k] as number) : k);
  const who = new Int32Array(size);
  const a = new Int32Array(size);
  const b = new Int32Array(size);
  const item = new Int32Array(size);
  const kind = new Uint8Array(size);
  const outcome = new Uint8Array(size);
  const flags = new Uint8Array(size);
  for (let k = 0; k < size; k++) {
    const from = at(k);
    who[k] = whoWords[from] as number;
    a[k] = (pairWords[2 * from] as number) - 1;
    b[k] = (pairWords[2 * from + 1] as number) - 1;
    const high = codeWords[2 * from] as number;
    const low = codeWords[2 * from + 1] as number;
    item[k] = high * 256 + (low >>> 24) - 1;
    kind[k] = (low >>> 16) & 255;
    outcome[k] = (low >>> 8) & 255;
    flags[k] = low & 255;
  }
  let seq = raw;
  if (order) {
    seq = new Float64Array(size);
    for (let k = 0; k < size; k++) seq[k] = raw[order[k] as number] as number;
  }
  return { seq, columns: { size, who, item, a, b, kind, outcome, flags } };
}

/** A column of big-endian 32-bit words, in base64, as native unsigned words (swapped in place, viewed without a copy). */
function nativeWords(base64: string | null | undefined): Uint32Array {
  if (!base64) return new Uint32Array(0);
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length === 0) return new Uint32Array(0);
  // a small Buffer may sit at any offset of a shared pool: a copy of its own then
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(Uint8Array.from(bytes).buffer);
  if (os.endianness() === "LE") aligned.swap32();
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
}

const RADIX_BITS = 11;
const RADIX_MASK = (1 << RADIX_BITS) - 1;

/** Up to this many ascending runs are merged; more are radix-sorted. */
const MERGED_RUNS = 16;

/**
 * The permutation that sorts the (distinct, non-negative integer) seqs ascending, or null when they already are.
 * Parallel workers return them as a few ascending runs (one a worker, each scanning the table in order): those
 * are merged, two at a time; many runs (rows updated out of place) by a least-significant-digit radix sort of
 * seq − min, 11 bits a pass, when the seqs span less than 2³²; a comparison sort beyond.
 */
function ascendingOrder(seq: Float64Array): Uint32Array | null {
  let min = Infinity;
  let max = -Infinity;
  const starts = [0];
  for (let k = 0; k < seq.length; k++) {
    const value = seq[k] as number;
    if (k > 0 && value < (seq[k - 1] as number) && starts.length <= MERGED_RUNS) starts.push(k);
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (starts.length === 1) return null;
  if (starts.length <= MERGED_RUNS) return mergedRuns(seq, starts);
  let order = new Uint32Array(seq.length);
  for (let k = 0; k < seq.length; k++) order[k] = k;
  if (max - min >= 2 ** 32) return order.sort((x, y) => (seq[x] as number) - (seq[y] as number));
  const relative = new Uint32Array(seq.length);
  for (let k = 0; k < seq.length; k++) relative[k] = (seq[k] as number) - min;
  let next = new Uint32Array(seq.length);
  const counts = new Uint32Array((1 << RADIX_BITS) + 1);
  for (let shift = 0; shift < 32 && (max - min) / 2 ** shift >= 1; shift += RADIX_BITS) {
    counts.fill(0);
    for (let k = 0; k < order.length; k++) {
      const digit = ((relative[order[k] as number] as number) >>> shift) & RADIX_MASK;
      counts[digit + 1] = (counts[digit + 1] as number) + 1;
    }
    for (let d = 0; d < RADIX_MASK + 1; d++) counts[d + 1] = (counts[d + 1] as number) + (counts[d] as number);
    for (let k = 0; k < order.length; k++) {
      const digit = ((relative[order[k] as number] as number) >>> shift) & RADIX_MASK;
      next[counts[digit] as number] = order[k] as number;
      counts[digit] = (counts[digit] as number) + 1;
    }
    [order, next] = [next, order];
  }
  return order;
}

/** The order of `seq` made of ascending runs beginning at `starts`, by merging neighbouring runs until one is left. */
function mergedRuns(seq: Float64Array, starts: readonly number[]): Uint32Array {
  const n = seq.length;
  let order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  let next = new Uint32Array(n);
  let bounds = [...starts, n];
  while (bounds.length > 2) {
    const merged = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const low = bounds[r] as number;
      const middle = bounds[r + 1] as number;
      const high = bounds[r + 2] ?? middle;
      let i = low;
      let j = middle;
      let out = low;
      while (i < middle && j < high) {
        const left = order[i] as number;
        const right = order[j] as number;
        if ((seq[left] as number) <= (seq[right] as number)) {
          next[out++] = left;
          i++;
        } else {
          next[out++] = right;
          j++;
        }
      }
      while (i < middle) next[out++] = order[i++] as number;
      while (j < high) next[out++] = order[j++] as number;
      merged.push(high);
    }
    [order, next] = [next, order];
    bounds = merged;
  }
  return order;
}

