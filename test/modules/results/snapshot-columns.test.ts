/** The snapshot's columns put in seq order, whether they arrive as a few ascending runs (merged) or many (radix-sorted). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeColumns } from "../../../src/modules/results/snapshot-columns.ts";

/** Columns as the scan sends them (base64 of big-endian words) for rows given as [seq, who]; the other columns follow who. */
function scan(rows: readonly (readonly [number, number])[]) {
  const seq = Buffer.alloc(8 * rows.length);
  const who = Buffer.alloc(4 * rows.length);
  const pair = Buffer.alloc(8 * rows.length);
  const code = Buffer.alloc(8 * rows.length);
  rows.forEach(([s, w], k) => {
    seq.writeUInt32BE(Math.floor(s / 2 ** 32), 8 * k);
    seq.writeUInt32BE(s % 2 ** 32, 8 * k + 4);
    who.writeUInt32BE(w, 4 * k);
    pair.writeUInt32BE(w + 1, 8 * k);
    pair.writeUInt32BE(w + 2, 8 * k + 4);
    code.writeUInt32BE(0, 8 * k);
    code.writeUInt32BE(((w % 200) + 1) * 2 ** 24, 8 * k + 4);
  });
  return { seq: seq.toString("base64"), who: who.toString("base64"), pair: pair.toString("base64"), code: code.toString("base64") };
}

function check(rows: readonly (readonly [number, number])[]): void {
  const { seq, columns } = decodeColumns(scan(rows));
  const expected = [...rows].sort((x, y) => x[0] - y[0]);
  assert.deepEqual([...seq], expected.map(([s]) => s));
  assert.deepEqual([...columns.who], expected.map(([, w]) => w), "each row's columns move with its seq");
  assert.deepEqual([...columns.a], expected.map(([, w]) => w));
  assert.deepEqual([...columns.b], expected.map(([, w]) => w + 1));
  assert.deepEqual([...columns.item], expected.map(([, w]) => w % 200));
}

function lcg(seed: number) {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

test("a few ascending runs, as parallel workers return them (2, 3 and 16 runs, of unequal lengths), come out in seq order", () => {
  for (const runs of [2, 3, 16]) {
    const next = lcg(runs);
    // seqs 1..n dealt to `runs` workers in chunks, each worker's in order, the workers' outputs one after another
    const n = 5_000;
    const worker = Array.from({ length: n }, () => Math.floor(next() * runs));
    const rows: [number, number][] = [];
    for (let w = 0; w < runs; w++) for (let s = 1; s <= n; s++) if (worker[s - 1] === w) rows.push([s * 3 + 2 ** 33, s % 997]);
    check(rows);
  }
});

test("many runs (rows updated out of place) and seqs beyond 2³², and already sorted input, come out in seq order", () => {
  const next = lcg(9);
  const shuffled = Array.from({ length: 3_000 }, (_, k) => [k * 11 + 7, k % 997] as [number, number]).sort(() => next() - 0.5);
  check(shuffled);
  check(Array.from({ length: 100 }, (_, k) => [k + 1, k] as [number, number]));
  check([]);
});
