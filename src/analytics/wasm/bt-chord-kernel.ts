/**
 * The Bradley–Terry bootstrap's per-round refit as WebAssembly (what bt-bootstrap.ts's comments describe, the loops
 * here): the resample pass over a round's drawn cells, and the chord steps (Newton steps with the fixed inverse
 * Hessian at the MLE, its product with the gradient in f64x2 lanes). Compiled code over one fixed memory runs at
 * the same speed in every process; the same loops in JavaScript ran 2–2.6× faster or slower from one process to
 * the next, as the JIT specialised them or not.
 *
 * Layout (byte offsets into the kernel memory, chosen by bt-bootstrap.ts): per row its cells' offset from the cells'
 * start (12 bytes a row), its subjects' offsets into per-subject arrays (8 bytes a subject), its win probability and
 * curvature at the MLE, which of its directions the Zermelo check needs (bit 0: a's wins, bit 1: b's), its drawn
 * total; per subject wins, expected wins, scale, 10^r, gradient, step and r; the inverse Hessian row-major with
 * rows of `stride` bytes (an even number of columns, the padding zero, as is the gradient's).
 */
import { encodeModule, forRange, localFrame, op, type Code } from "./encoder.ts";
import { kernelInstance, type KernelMemory } from "./kernel-memory.ts";

export interface ResampleArgs {
  cells: number;
  rowCell: number;
  rowA: number;
  rowB: number;
  pAtMle: number;
  curvature: number;
  need: number;
  totals: number;
  wins: number;
  expected: number;
  scale: number;
  fullDiagonal: number;
  rowCount: number;
  n: number;
}

export interface ChordArgs {
  inverse: number;
  rowA: number;
  rowB: number;
  totals: number;
  wins: number;
  expected: number;
  powers: number;
  gradient: number;
  step: number;
  scale: number;
  r: number;
  rowCount: number;
  n: number;
  stride: number;
  maxSteps: number;
  tolerance: number;
}

export interface BtKernels {
  /** the resample pass: wins, first expected wins, totals, and scale; returns the rows' lost needed directions (nonzero: check Zermelo's condition) */
  resample(args: ResampleArgs): number;
  /** chord steps from r until the distance left is below tolerance: 1, or 0 when that fails within maxSteps */
  chord(args: ChordArgs): number;
}

const { get, set, i32, f64, f64x2 } = op;
const EXP = 0;
const LN10 = Math.LN10;

/** x[at] += value for f64s at byte address `address`. */
const addInto = (address: Code, value: Code): Code => f64.store(address, f64.add(f64.load(address), value));
/** base + k·size, for arrays indexed by an i32 local k. */
const element = (base: number, k: number, shift: number): Code => i32.add(get(base), i32.shl(get(k), i32.const(shift)));

const resampleFrame = localFrame(
  { cells: "i32", rowCell: "i32", rowA: "i32", rowB: "i32", pAtMle: "i32", curvature: "i32", need: "i32", totals: "i32", wins: "i32", expected: "i32", scale: "i32", fullDiagonal: "i32", rowCount: "i32", n: "i32" },
  { k: "i32", at: "i32", ca: "i32", cb: "i32", ct: "i32", lost: "i32", ia: "i32", jb: "i32", current: "i32", half: "f64", a: "f64", b: "f64", total: "f64", won: "f64", weight: "f64", ratio: "f64", runWins: "f64", runExpected: "f64", runScale: "f64" },
);

function resampleBody(): Code {
  const v = resampleFrame.at;
  const subjectBytes = i32.shl(get(v.n), i32.const(3));
  const at = (base: number, offset: number): Code => i32.add(get(base), get(offset));
  // side a's sums kept in locals while consecutive rows share it (rows come sorted by a): no chain of
  // read-modify-writes through memory
  const flushResample = op.seq(
    addInto(at(v.wins, v.current), get(v.runWins)),
    addInto(at(v.expected, v.current), get(v.runExpected)),
    addInto(at(v.scale, v.current), get(v.runScale)),
    set(v.runWins, f64.const(0)),
    set(v.runExpected, f64.const(0)),
    set(v.runScale, f64.const(0)),
  );
  return op.seq(
    forRange(v.k, i32.const(0), subjectBytes, op.seq(f64.store(at(v.wins, v.k), f64.const(0)), f64.store(at(v.expected, v.k), f64.const(0)), f64.store(at(v.scale, v.k), f64.const(0))), 8),
    set(v.lost, i32.const(0)),
    set(v.current, i32.const(0)),
    forRange(
      v.k,
      i32.const(0),
      get(v.rowCount),
      op.seq(
        set(v.at, i32.add(get(v.cells), i32.load(element(v.rowCell, v.k, 2)))),
        set(v.ca, i32.load(get(v.at))),
        set(v.cb, i32.load(get(v.at), 4)),
        set(v.ct, i32.load(get(v.at), 8)),
        set(v.half, f64.mul(f64.const(0.5), f64.fromI32(get(v.ct)))),
        set(v.a, f64.add(f64.fromI32(get(v.ca)), get(v.half))),
        set(v.b, f64.add(f64.fromI32(get(v.cb)), get(v.half))),
        set(v.total, f64.add(get(v.a), get(v.b))),
        f64.store(element(v.totals, v.k, 3), get(v.total)),
        set(v.ia, i32.load(element(v.rowA, v.k, 2))),
        set(v.jb, i32.load(element(v.rowB, v.k, 2))),
        set(v.won, f64.mul(get(v.total), f64.load(element(v.pAtMle, v.k, 3)))),
        set(v.weight, f64.mul(get(v.total), f64.load(element(v.curvature, v.k, 3)))),
        op.if(i32.ne(get(v.ia), get(v.current)), op.seq(flushResample, set(v.current, get(v.ia)))),
        set(v.runWins, f64.add(get(v.runWins), get(v.a))),
        set(v.runExpected, f64.add(get(v.runExpected), get(v.won))),
        set(v.runScale, f64.add(get(v.runScale), get(v.weight))),
        addInto(at(v.wins, v.jb), get(v.b)),
        addInto(at(v.expected, v.jb), f64.sub(get(v.total), get(v.won))),
        addInto(at(v.scale, v.jb), get(v.weight)),
        // a needed direction is lost when its side has no win and no draw in this resample
        set(
          v.lost,
          i32.or(
            get(v.lost),
            i32.and(i32.load(element(v.need, v.k, 2)), i32.or(i32.eqz(i32.or(get(v.ca), get(v.ct))), i32.shl(i32.eqz(i32.or(get(v.cb), get(v.ct))), i32.const(1)))),
          ),
        ),
      ),
    ),
    flushResample,
    // scale: √(full-data diagonal / resample's), 1 where that is not a positive finite number
    forRange(
      v.k,
      i32.const(0),
      subjectBytes,
      op.seq(
        set(v.ratio, f64.sqrt(f64.div(f64.load(at(v.fullDiagonal, v.k)), f64.load(at(v.scale, v.k))))),
        f64.store(at(v.scale, v.k), op.select(get(v.ratio), f64.const(1), i32.and(f64.gt(get(v.ratio), f64.const(0)), f64.lt(get(v.ratio), f64.const(Infinity))))),
      ),
      8,
    ),
    get(v.lost),
  );
}

const chordFrame = localFrame(
  {
    inverse: "i32",
    rowA: "i32",
    rowB: "i32",
    totals: "i32",
    wins: "i32",
    expected: "i32",
    powers: "i32",
    gradient: "i32",
    step: "i32",
    scale: "i32",
    r: "i32",
    rowCount: "i32",
    n: "i32",
    stride: "i32",
    maxSteps: "i32",
    tolerance: "f64",
  },
  {
    iteration: "i32",
    k: "i32",
    current: "i32",
    i: "i32",
    ia: "i32",
    jb: "i32",
    row0: "i32",
    row1: "i32",
    row2: "i32",
    row3: "i32",
    quads: "i32",
    previous: "f64",
    largest: "f64",
    total: "f64",
    pi: "f64",
    won: "f64",
    move: "f64",
    ratio: "f64",
    run: "f64",
    acc0: "v128",
    acc1: "v128",
    acc2: "v128",
    acc3: "v128",
    x: "v128",
  },
);

function chordBody(): Code {
  const v = chordFrame.at;
  const subjectBytes = i32.shl(get(v.n), i32.const(3));
  const at = (base: number, offset: number): Code => i32.add(get(base), get(offset));
  // side a's expected wins in a local while consecutive rows share it (as in the resample pass)
  const flushChord = op.seq(addInto(at(v.expected, v.current), get(v.run)), set(v.run, f64.const(0)));
  // expected wins at r, with 10^r by n exponentials (one a subject, not one a row)
  const expectedWins = op.seq(
    set(v.current, i32.const(0)),
    forRange(v.i, i32.const(0), subjectBytes, op.seq(f64.store(at(v.expected, v.i), f64.const(0)), f64.store(at(v.powers, v.i), op.call(EXP, f64.mul(f64.const(LN10), f64.load(at(v.r, v.i)))))), 8),
    forRange(
      v.k,
      i32.const(0),
      get(v.rowCount),
      op.seq(
        set(v.ia, i32.load(element(v.rowA, v.k, 2))),
        set(v.jb, i32.load(element(v.rowB, v.k, 2))),
        set(v.total, f64.load(element(v.totals, v.k, 3))),
        set(v.pi, f64.load(at(v.powers, v.ia))),
        set(v.won, f64.div(f64.mul(get(v.total), get(v.pi)), f64.add(get(v.pi), f64.load(at(v.powers, v.jb))))),
        op.if(i32.ne(get(v.ia), get(v.current)), op.seq(flushChord, set(v.current, get(v.ia)))),
        set(v.run, f64.add(get(v.run), get(v.won))),
        addInto(at(v.expected, v.jb), f64.sub(get(v.total), get(v.won))),
      ),
    ),
    flushChord,
  );
  const gradient = forRange(
    v.i,
    i32.const(0),
    subjectBytes,
    f64.store(at(v.gradient, v.i), f64.mul(f64.mul(f64.const(-LN10), f64.load(at(v.scale, v.i))), f64.sub(f64.load(at(v.wins, v.i)), f64.load(at(v.expected, v.i))))),
    8,
  );
  const accumulate = (acc: number, row: number): Code => set(acc, f64x2.add(get(acc), f64x2.mul(f64x2.load(at(row, v.k)), get(v.x))));
  const lanes = (acc: number): Code => f64.add(f64x2.lane(get(acc), 0), f64x2.lane(get(acc), 1));
  // step = inverse · gradient, four rows at a time: each pair of gradient entries loaded once for four sums
  const product = op.seq(
    set(v.quads, i32.and(get(v.n), i32.const(~3))),
    forRange(
      v.i,
      i32.const(0),
      get(v.quads),
      op.seq(
        set(v.row0, i32.add(get(v.inverse), i32.mul(get(v.i), get(v.stride)))),
        set(v.row1, i32.add(get(v.row0), get(v.stride))),
        set(v.row2, i32.add(get(v.row1), get(v.stride))),
        set(v.row3, i32.add(get(v.row2), get(v.stride))),
        set(v.acc0, f64x2.splat(f64.const(0))),
        set(v.acc1, f64x2.splat(f64.const(0))),
        set(v.acc2, f64x2.splat(f64.const(0))),
        set(v.acc3, f64x2.splat(f64.const(0))),
        forRange(
          v.k,
          i32.const(0),
          get(v.stride),
          op.seq(set(v.x, f64x2.load(at(v.gradient, v.k))), accumulate(v.acc0, v.row0), accumulate(v.acc1, v.row1), accumulate(v.acc2, v.row2), accumulate(v.acc3, v.row3)),
          16,
        ),
        f64.store(element(v.step, v.i, 3), lanes(v.acc0)),
        f64.store(element(v.step, v.i, 3), lanes(v.acc1), 8),
        f64.store(element(v.step, v.i, 3), lanes(v.acc2), 16),
        f64.store(element(v.step, v.i, 3), lanes(v.acc3), 24),
      ),
      4,
    ),
    forRange(
      v.i,
      get(v.quads),
      get(v.n),
      op.seq(
        set(v.row0, i32.add(get(v.inverse), i32.mul(get(v.i), get(v.stride)))),
        set(v.acc0, f64x2.splat(f64.const(0))),
        forRange(v.k, i32.const(0), get(v.stride), op.seq(set(v.x, f64x2.load(at(v.gradient, v.k))), accumulate(v.acc0, v.row0)), 16),
        f64.store(element(v.step, v.i, 3), lanes(v.acc0)),
      ),
    ),
  );
  const update = op.seq(
    set(v.largest, f64.const(0)),
    forRange(
      v.i,
      i32.const(0),
      subjectBytes,
      op.seq(
        set(v.move, f64.mul(f64.load(at(v.scale, v.i)), f64.load(at(v.step, v.i)))),
        f64.store(at(v.r, v.i), f64.sub(f64.load(at(v.r, v.i)), get(v.move))),
        set(v.largest, f64.max(get(v.largest), f64.abs(get(v.move)))),
      ),
      8,
    ),
  );
  return op.seq(
    set(v.previous, f64.const(Infinity)),
    forRange(
      v.iteration,
      i32.const(0),
      get(v.maxSteps),
      op.seq(
        // the first step's expected wins (at the MLE) come with the resample pass
        op.if(i32.ltS(i32.const(0), get(v.iteration)), expectedWins),
        gradient,
        product,
        update,
        // NaN or infinite: failed (full Newton follows)
        op.if(i32.eqz(f64.lt(get(v.largest), f64.const(Infinity))), op.return(i32.const(0))),
        set(v.ratio, op.select(f64.div(get(v.largest), get(v.previous)), f64.const(1), f64.lt(get(v.previous), f64.const(Infinity)))),
        // the chord iteration contracts by about ratio per step, so what is left to move is about largest·ratio/(1 − ratio)
        op.if(
          i32.and(f64.lt(get(v.ratio), f64.const(0.5)), f64.lt(f64.div(f64.mul(get(v.largest), get(v.ratio)), f64.sub(f64.const(1), get(v.ratio))), get(v.tolerance))),
          op.return(i32.const(1)),
        ),
        set(v.previous, get(v.largest)),
      ),
    ),
    i32.const(0),
  );
}

const instance = kernelInstance(() =>
  encodeModule({
    imports: [{ module: "env", name: "exp", params: ["f64"], results: ["f64"] }],
    functions: [
      { name: "resample", params: resampleFrame.params, results: ["i32"], locals: resampleFrame.locals, body: resampleBody() },
      { name: "chord", params: chordFrame.params, results: ["i32"], locals: chordFrame.locals, body: chordBody() },
    ],
    minimumPages: 1,
  }),
);

/** The kernels over a kernel memory (the addresses they are given are into it). */
export function btKernels(memory: KernelMemory): BtKernels {
  // Math.exp imported as is: the engine calls its C implementation directly
  const exports = instance(memory, { exp: Math.exp }) as unknown as {
    resample: (...args: number[]) => number;
    chord: (...args: number[]) => number;
  };
  return {
    resample: (a) => exports.resample(a.cells, a.rowCell, a.rowA, a.rowB, a.pAtMle, a.curvature, a.need, a.totals, a.wins, a.expected, a.scale, a.fullDiagonal, a.rowCount, a.n),
    chord: (a) => exports.chord(a.inverse, a.rowA, a.rowB, a.totals, a.wins, a.expected, a.powers, a.gradient, a.step, a.scale, a.r, a.rowCount, a.n, a.stride, a.maxSteps, a.tolerance),
  };
}
