/** The WebAssembly encoder: LEB128 against the specification's examples, and a small module that validates and computes. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeModule, forRange, localFrame, op, signed, unsigned } from "../../../src/analytics/wasm/encoder.ts";
import { KernelHeap, kernelInstance } from "../../../src/analytics/wasm/kernel-memory.ts";

test("LEB128: the specification's and Wikipedia's examples", () => {
  assert.deepEqual(unsigned(624485), [0xe5, 0x8e, 0x26]);
  assert.deepEqual(unsigned(0), [0]);
  assert.deepEqual(unsigned(127), [0x7f]);
  assert.deepEqual(unsigned(128), [0x80, 0x01]);
  assert.deepEqual(signed(-123456), [0xc0, 0xbb, 0x78]);
  assert.deepEqual(signed(-1), [0x7f]);
  assert.deepEqual(signed(63), [0x3f]);
  assert.deepEqual(signed(64), [0xc0, 0x00]);
  assert.deepEqual(signed(-65), [0xbf, 0x7f]);
});

test("a module summing doubles in memory (f64x2 lanes) and a scalar loop give the sum; the memory is the heap's", () => {
  const frame = localFrame({ at: "i32", count: "i32" }, { k: "i32", total: "f64", lanes: "v128" });
  const v = frame.at;
  const { get, set, i32, f64, f64x2 } = op;
  const body = op.seq(
    set(v.lanes, f64x2.splat(f64.const(0))),
    forRange(v.k, i32.const(0), i32.shl(get(v.count), i32.const(3)), set(v.lanes, f64x2.add(get(v.lanes), f64x2.load(i32.add(get(v.at), get(v.k))))), 16),
    set(v.total, f64.add(f64x2.lane(get(v.lanes), 0), f64x2.lane(get(v.lanes), 1))),
    get(v.total),
  );
  const instance = kernelInstance(() => encodeModule({ imports: [], functions: [{ name: "sum", params: frame.params, results: ["f64"], locals: frame.locals, body }], minimumPages: 1 }));
  const heap = new KernelHeap(4096);
  const values = heap.f64(10);
  values.set([1, 2, 3, 4, 5, 6, 7, 8, 9.5, -0.25]);
  const sum = instance(heap.memory).sum as (at: number, count: number) => number;
  assert.equal(sum(values.byteOffset, 10), 45.25);
  assert.equal(sum(values.byteOffset, 4), 10);
});
