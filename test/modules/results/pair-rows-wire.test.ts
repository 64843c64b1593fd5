import assert from "node:assert/strict";
import { test } from "node:test";
import { packBeyondInput, packResultsInput, unpackBeyondInput, unpackResultsInput } from "../../../src/modules/results/pair-rows-wire.ts";

/** what a worker receives: the structured clone of what was posted */
const clone = <T>(value: T): T => structuredClone(value);

const rows = [
  { a: 0, b: 1, winsA: 3, winsB: 0, ties: 2, bothBad: 1 },
  { a: 0, b: 2, winsA: 0, winsB: 7, ties: 0, bothBad: 0 },
  { a: 1, b: 2, winsA: 1.5, winsB: 2.5, ties: 0, bothBad: 4 },
];

test("pair rows cross to a worker packed and come back equal, with the rest of the rules' input untouched", () => {
  const sequence = { a: Int32Array.of(0, 1), b: Int32Array.of(1, 2), scoreA: Float64Array.of(1, 0.5) };
  const input = { subjects: ["x", "y", "z"], pairs: rows, sequence };
  const wire = clone(packResultsInput(input));
  assert.ok(wire.pairs.packed instanceof Float64Array);
  assert.deepEqual(unpackResultsInput(wire), input);
  assert.deepEqual(unpackResultsInput(clone(packResultsInput({ subjects: [], pairs: [] }))), { subjects: [], pairs: [] });
});

test("the beyond-Arena input's board and every slice's rows come back equal", () => {
  const input = {
    subjects: ["x", "y", "z"],
    pairs: rows,
    bt: null,
    k: 5,
    rounds: 100,
    seed: 3,
    slices: [
      { dimension: "community" as const, key: "north", contributors: 7, rows: rows.slice(0, 2) },
      { dimension: "community" as const, key: null, contributors: 5, rows: [] },
    ],
    votes: null,
    leaks: [{ participant: "p-1", votes: 2 }],
    joins: [],
  };
  assert.deepEqual(unpackBeyondInput(clone(packBeyondInput(input))), input);
});
