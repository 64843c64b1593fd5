/**
 * The multinomial sampler's hot loops as WebAssembly (the method and why it is exact: multinomial-sampler.ts):
 * the Poisson draws by the cells' packed alias tables, a batch of rounds cell by cell, and each round's sum and
 * categorical top-up towards the total. The uniforms are mulberry32's, the state kept in the status words
 * (a signed 32-bit integer with mulberry32's bits), so the stream is the one the JavaScript steps around these
 * (tails, removals) continue.
 *
 * Status words (4 i32 at `status`): the uniform state, the tail symbols queued, and where the Poisson draws
 * resume (cell, round) when the queue filled up.
 */
import { encodeModule, forRange, localFrame, op, type Code } from "./encoder.ts";
import { kernelInstance, type KernelMemory } from "./kernel-memory.ts";

export interface PoissonArgs {
  /** i32 arrays, one entry a tabled cell: its cell index, first value, tabled values, bits, table offset (in entries) */
  cell: number;
  lo: number;
  length: number;
  bits: number;
  offset: number;
  entry: number;
  cells: number;
  rounds: number;
  /** bytes between rounds in `out` (4 × cells of the multinomial) */
  rowBytes: number;
  out: number;
  queueAt: number;
  queueCell: number;
  queueCapacity: number;
  status: number;
}

export interface TopUpArgs {
  /** i32 array of the cells with mean 0 (no table: 0 before the top-up), and their number */
  empty: number;
  empties: number;
  entry: number;
  bits: number;
  drawn: number;
  count: number;
  total: number;
  status: number;
}

export interface SamplerKernels {
  /** Poisson draws from the status words' (cell, round) on, up to the tabled cell `cells`: 1 when there, 0 when the tail queue is full (resolve it, call again) */
  poisson(args: PoissonArgs): number;
  /** one round's empty cells zeroed, its sum, and when that is below the total that many categorical draws added */
  topUp(args: TopUpArgs): number;
}

const GOLDEN = 0x6d2b79f5;
const { get, set, i32 } = op;


/** state advanced, then x = mulberry32's 32 output bits for it (t a scratch local) */
function uniformBits(state: number, x: number, t: number): Code {
  return op.seq(
    set(state, i32.add(get(state), i32.const(GOLDEN))),
    set(t, i32.mul(i32.xor(get(state), i32.shrU(get(state), i32.const(15))), i32.or(get(state), i32.const(1)))),
    set(t, i32.xor(get(t), i32.add(get(t), i32.mul(i32.xor(get(t), i32.shrU(get(t), i32.const(7))), i32.or(get(t), i32.const(61)))))),
    set(x, i32.xor(get(t), i32.shrU(get(t), i32.const(14)))),
  );
}

/** the alias table's symbol for uniform bits x: the bucket's own symbol when the low bits fall below its cut, else its alias */
function aliasPick(v: { x: number; bucket: number; word: number; lowMask: number; aliasMask: number; b: number; index: number }, table: Code): Code {
  return op.seq(
    set(v.bucket, i32.shrU(get(v.x), get(v.index))),
    set(v.word, i32.load(i32.add(table, i32.shl(get(v.bucket), i32.const(2))))),
    op.select(get(v.bucket), i32.and(get(v.word), get(v.aliasMask)), i32.ltU(i32.and(get(v.x), get(v.lowMask)), i32.shrU(get(v.word), get(v.b)))),
  );
}

const poissonFrame = localFrame(
  { cell: "i32", lo: "i32", length: "i32", bits: "i32", offset: "i32", entry: "i32", cells: "i32", rounds: "i32", rowBytes: "i32", out: "i32", queueAt: "i32", queueCell: "i32", queueCapacity: "i32", status: "i32" },
  { c: "i32", round: "i32", state: "i32", waiting: "i32", from: "i32", first: "i32", values: "i32", b: "i32", index: "i32", lowMask: "i32", aliasMask: "i32", x: "i32", t: "i32", bucket: "i32", word: "i32", j: "i32", at: "i32" },
);

function poissonBody(): Code {
  const v = poissonFrame.at;
  const c4 = (base: number): Code => i32.add(get(base), i32.shl(get(v.c), i32.const(2)));
  const save = op.seq(
    i32.store(get(v.status), get(v.state)),
    i32.store(get(v.status), get(v.waiting), 4),
    i32.store(get(v.status), get(v.c), 8),
    i32.store(get(v.status), get(v.round), 12),
  );
  const draw = op.seq(
    uniformBits(v.state, v.x, v.t),
    set(v.j, aliasPick(v, get(v.from))),
    i32.store(get(v.at), i32.add(get(v.first), get(v.j))),
    set(v.round, i32.add(get(v.round), i32.const(1))),
    // a tail symbol: queued for its second uniform; a full queue hands back to be resolved
    op.if(
      i32.geS(get(v.j), get(v.values)),
      op.seq(
        i32.store(i32.add(get(v.queueAt), i32.shl(get(v.waiting), i32.const(2))), i32.shrU(i32.sub(get(v.at), get(v.out)), i32.const(2))),
        i32.store(i32.add(get(v.queueCell), i32.shl(get(v.waiting), i32.const(2))), get(v.c)),
        set(v.waiting, i32.add(get(v.waiting), i32.const(1))),
        op.if(i32.eq(get(v.waiting), get(v.queueCapacity)), op.seq(save, op.return(i32.const(0)))),
      ),
    ),
    set(v.at, i32.add(get(v.at), get(v.rowBytes))),
  );
  return op.seq(
    set(v.state, i32.load(get(v.status))),
    set(v.waiting, i32.load(get(v.status), 4)),
    set(v.c, i32.load(get(v.status), 8)),
    set(v.round, i32.load(get(v.status), 12)),
    op.block(
      op.loop(
        op.brIf(1, i32.geS(get(v.c), get(v.cells))),
        set(v.from, i32.add(get(v.entry), i32.shl(i32.load(c4(v.offset)), i32.const(2)))),
        set(v.first, i32.load(c4(v.lo))),
        set(v.values, i32.load(c4(v.length))),
        set(v.b, i32.load(c4(v.bits))),
        set(v.index, i32.sub(i32.const(32), get(v.b))),
        set(v.lowMask, i32.sub(i32.shl(i32.const(1), get(v.index)), i32.const(1))),
        set(v.aliasMask, i32.sub(i32.shl(i32.const(1), get(v.b)), i32.const(1))),
        // the count's address in the batch: its cell's in the round the draws resume at, then a row further each draw
        set(v.at, i32.add(i32.add(get(v.out), i32.shl(i32.load(c4(v.cell)), i32.const(2))), i32.mul(get(v.round), get(v.rowBytes)))),
        op.block(op.loop(op.brIf(1, i32.geS(get(v.round), get(v.rounds))), draw, op.br(0))),
        set(v.round, i32.const(0)),
        set(v.c, i32.add(get(v.c), i32.const(1))),
        op.br(0),
      ),
    ),
    save,
    i32.const(1),
  );
}

const topUpFrame = localFrame(
  { empty: "i32", empties: "i32", entry: "i32", bits: "i32", drawn: "i32", count: "i32", total: "i32", status: "i32" },
  { k: "i32", sum: "i32", state: "i32", d: "i32", x: "i32", t: "i32", bucket: "i32", word: "i32", index: "i32", lowMask: "i32", aliasMask: "i32", b: "i32", at: "i32" },
);

function topUpBody(): Code {
  const v = topUpFrame.at;
  return op.seq(
    forRange(v.k, i32.const(0), i32.shl(get(v.empties), i32.const(2)), i32.store(i32.add(get(v.drawn), i32.shl(i32.load(i32.add(get(v.empty), get(v.k))), i32.const(2))), i32.const(0)), 4),
    set(v.sum, i32.const(0)),
    forRange(v.k, i32.const(0), i32.shl(get(v.count), i32.const(2)), set(v.sum, i32.add(get(v.sum), i32.load(i32.add(get(v.drawn), get(v.k))))), 4),
    // one uniform a round before its fix-up (as the removals' path takes it too)
    set(v.state, i32.add(i32.load(get(v.status)), i32.const(GOLDEN))),
    set(v.b, get(v.bits)),
    set(v.index, i32.sub(i32.const(32), get(v.b))),
    set(v.lowMask, i32.sub(i32.shl(i32.const(1), get(v.index)), i32.const(1))),
    set(v.aliasMask, i32.sub(i32.shl(i32.const(1), get(v.b)), i32.const(1))),
    op.if(
      i32.ltS(get(v.sum), get(v.total)),
      forRange(
        v.d,
        get(v.sum),
        get(v.total),
        op.seq(
          uniformBits(v.state, v.x, v.t),
          set(v.at, i32.add(get(v.drawn), i32.shl(aliasPick(v, get(v.entry)), i32.const(2)))),
          i32.store(get(v.at), i32.add(i32.load(get(v.at)), i32.const(1))),
        ),
      ),
    ),
    i32.store(get(v.status), get(v.state)),
    get(v.sum),
  );
}

const instance = kernelInstance(() =>
  encodeModule({
    imports: [],
    functions: [
      { name: "poisson", params: poissonFrame.params, results: ["i32"], locals: poissonFrame.locals, body: poissonBody() },
      { name: "topUp", params: topUpFrame.params, results: ["i32"], locals: topUpFrame.locals, body: topUpBody() },
    ],
    minimumPages: 1,
  }),
);

export function samplerKernels(memory: KernelMemory): SamplerKernels {
  const exports = instance(memory) as unknown as { poisson: (...args: number[]) => number; topUp: (...args: number[]) => number };
  return {
    poisson: (a) => exports.poisson(a.cell, a.lo, a.length, a.bits, a.offset, a.entry, a.cells, a.rounds, a.rowBytes, a.out, a.queueAt, a.queueCell, a.queueCapacity, a.status),
    topUp: (a) => exports.topUp(a.empty, a.empties, a.entry, a.bits, a.drawn, a.count, a.total, a.status),
  };
}
