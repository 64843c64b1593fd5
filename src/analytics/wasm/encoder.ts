/**
 * A minimal WebAssembly binary encoder, enough for the numerical kernels written in TypeScript beside it: a module
 * of functions over one imported memory (and imported functions), whose bodies are built as expression trees (each
 * node's operands are emitted before its opcode, as the stack machine takes them). The bytes are made at load time,
 * so no build step and no generated file. Reference: the WebAssembly core specification, binary format (§5) and the
 * fixed-width SIMD proposal's opcodes.
 */

/** An emitted instruction sequence: a flat list of bytes. */
export type Code = readonly number[];
export type ValueType = "i32" | "f64" | "v128";

const VALUE_TYPE: Record<ValueType, number> = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

/** Unsigned LEB128. */
export function unsigned(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function signed(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function name(text: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(text));
  return [...unsigned(bytes.length), ...bytes];
}

function vector(items: readonly (readonly number[])[]): number[] {
  return [...unsigned(items.length), ...items.flat()];
}

function section(id: number, content: readonly number[]): number[] {
  return content.length === 0 ? [] : [id, ...unsigned(content.length), ...content];
}

function littleEndian(value: number): number[] {
  const bytes = new DataView(new ArrayBuffer(8));
  bytes.setFloat64(0, value, true);
  return Array.from(new Uint8Array(bytes.buffer));
}

const seq = (...parts: readonly Code[]): Code => parts.flat();

// ---- instructions (operands first, then the opcode) ----

const EMPTY_BLOCK = 0x40;

export const op = {
  seq,
  block: (...body: Code[]): Code => [0x02, EMPTY_BLOCK, ...seq(...body), 0x0b],
  loop: (...body: Code[]): Code => [0x03, EMPTY_BLOCK, ...seq(...body), 0x0b],
  if: (condition: Code, then: Code, otherwise?: Code): Code => [...condition, 0x04, EMPTY_BLOCK, ...then, ...(otherwise ? [0x05, ...otherwise] : []), 0x0b],
  br: (depth: number): Code => [0x0c, ...unsigned(depth)],
  brIf: (depth: number, condition: Code): Code => [...condition, 0x0d, ...unsigned(depth)],
  return: (value: Code): Code => [...value, 0x0f],
  call: (index: number, ...args: Code[]): Code => [...seq(...args), 0x10, ...unsigned(index)],
  select: (ifTrue: Code, ifFalse: Code, condition: Code): Code => [...ifTrue, ...ifFalse, ...condition, 0x1b],
  get: (local: number): Code => [0x20, ...unsigned(local)],
  set: (local: number, value: Code): Code => [...value, 0x21, ...unsigned(local)],
  i32: {
    const: (value: number): Code => [0x41, ...signed(value)],
    load: (address: Code, offset = 0): Code => [...address, 0x28, 2, ...unsigned(offset)],
    store: (address: Code, value: Code, offset = 0): Code => [...address, ...value, 0x36, 2, ...unsigned(offset)],
    eqz: (x: Code): Code => [...x, 0x45],
    eq: (x: Code, y: Code): Code => [...x, ...y, 0x46],
    ne: (x: Code, y: Code): Code => [...x, ...y, 0x47],
    ltS: (x: Code, y: Code): Code => [...x, ...y, 0x48],
    ltU: (x: Code, y: Code): Code => [...x, ...y, 0x49],
    add: (x: Code, y: Code): Code => [...x, ...y, 0x6a],
    sub: (x: Code, y: Code): Code => [...x, ...y, 0x6b],
    mul: (x: Code, y: Code): Code => [...x, ...y, 0x6c],
    and: (x: Code, y: Code): Code => [...x, ...y, 0x71],
    or: (x: Code, y: Code): Code => [...x, ...y, 0x72],
    xor: (x: Code, y: Code): Code => [...x, ...y, 0x73],
    shl: (x: Code, y: Code): Code => [...x, ...y, 0x74],
    shrS: (x: Code, y: Code): Code => [...x, ...y, 0x75],
    shrU: (x: Code, y: Code): Code => [...x, ...y, 0x76],
    geS: (x: Code, y: Code): Code => [...x, ...y, 0x4e],
  },
  f64: {
    const: (value: number): Code => [0x44, ...littleEndian(value)],
    load: (address: Code, offset = 0): Code => [...address, 0x2b, 3, ...unsigned(offset)],
    store: (address: Code, value: Code, offset = 0): Code => [...address, ...value, 0x39, 3, ...unsigned(offset)],
    lt: (x: Code, y: Code): Code => [...x, ...y, 0x63],
    gt: (x: Code, y: Code): Code => [...x, ...y, 0x64],
    abs: (x: Code): Code => [...x, 0x99],
    sqrt: (x: Code): Code => [...x, 0x9f],
    add: (x: Code, y: Code): Code => [...x, ...y, 0xa0],
    sub: (x: Code, y: Code): Code => [...x, ...y, 0xa1],
    mul: (x: Code, y: Code): Code => [...x, ...y, 0xa2],
    div: (x: Code, y: Code): Code => [...x, ...y, 0xa3],
    max: (x: Code, y: Code): Code => [...x, ...y, 0xa5],
    fromI32: (x: Code): Code => [...x, 0xb7],
  },
  /** two f64 lanes in a v128 */
  f64x2: {
    load: (address: Code, offset = 0): Code => [...address, 0xfd, ...unsigned(0x00), 4, ...unsigned(offset)],
    store: (address: Code, value: Code, offset = 0): Code => [...address, ...value, 0xfd, ...unsigned(0x0b), 4, ...unsigned(offset)],
    splat: (x: Code): Code => [...x, 0xfd, ...unsigned(0x14)],
    lane: (x: Code, lane: 0 | 1): Code => [...x, 0xfd, ...unsigned(0x21), lane],
    add: (x: Code, y: Code): Code => [...x, ...y, 0xfd, ...unsigned(0xf0)],
    mul: (x: Code, y: Code): Code => [...x, ...y, 0xfd, ...unsigned(0xf2)],
  },
};

/** `for (local = from; local < to; local += by) body` over i32 locals (a block around a loop; the body must not branch out of it). */
export function forRange(local: number, from: Code, to: Code, body: Code, by = 1): Code {
  return op.block(
    op.set(local, from),
    op.loop(op.brIf(1, op.i32.eqz(op.i32.ltS(op.get(local), to))), body, op.set(local, op.i32.add(op.get(local), op.i32.const(by))), op.br(0)),
  );
}

/** Local indices by name: the parameters first (in order), then the locals; with their types for FunctionDefinition. */
export function localFrame<P extends string, L extends string>(params: Record<P, ValueType>, locals: Record<L, ValueType>): { at: Record<P | L, number>; params: ValueType[]; locals: ValueType[] } {
  const names = [...Object.keys(params), ...Object.keys(locals)];
  return {
    at: Object.fromEntries(names.map((key, k) => [key, k])) as Record<P | L, number>,
    params: Object.values(params) as ValueType[],
    locals: Object.values(locals) as ValueType[],
  };
}

export interface FunctionDefinition {
  readonly name: string;
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
  /** locals after the parameters, by type */
  readonly locals: readonly ValueType[];
  readonly body: Code;
}

export interface ImportedFunction {
  readonly module: string;
  readonly name: string;
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
}

/**
 * The module's bytes: imported functions (indices 0…), then the defined ones (exported by name), over an imported
 * memory `env.memory` of at least `minimumPages` 64 KiB pages.
 */
export function encodeModule(definition: { imports: readonly ImportedFunction[]; functions: readonly FunctionDefinition[]; minimumPages: number }): Uint8Array {
  const signatures: string[] = [];
  const typeOf = (params: readonly ValueType[], results: readonly ValueType[]): number => {
    const key = `${params.join(",")}->${results.join(",")}`;
    if (!signatures.includes(key)) signatures.push(key);
    return signatures.indexOf(key);
  };
  const importTypes = definition.imports.map((f) => typeOf(f.params, f.results));
  const functionTypes = definition.functions.map((f) => typeOf(f.params, f.results));
  const types = signatures.map((key) => {
    const [params = "", results = ""] = key.split("->");
    const list = (text: string): number[][] => (text === "" ? [] : text.split(",").map((t) => [VALUE_TYPE[t as ValueType]]));
    return [0x60, ...vector(list(params)), ...vector(list(results))];
  });
  const imports = [
    ...definition.imports.map((f, k) => [...name(f.module), ...name(f.name), 0x00, ...unsigned(importTypes[k] ?? 0)]),
    [...name("env"), ...name("memory"), 0x02, 0x00, ...unsigned(definition.minimumPages)],
  ];
  const exports = definition.functions.map((f, k) => [...name(f.name), 0x00, ...unsigned(definition.imports.length + k)]);
  const bodies = definition.functions.map((f) => {
    const locals = f.locals.map((t) => [...unsigned(1), VALUE_TYPE[t]]);
    const body = [...vector(locals), ...f.body, 0x0b];
    return [...unsigned(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(functionTypes.map((t) => unsigned(t)))),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
