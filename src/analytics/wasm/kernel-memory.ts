/**
 * The kernels' memory: one WebAssembly memory of a size fixed when it is made (never grown, so the typed views
 * into it stay valid), handed out by a bump allocator; the sampler's draws and the refits' arrays share it, so
 * the counts are read where they were drawn.
 */

/** The little of the WebAssembly API used here (the project's type libraries do not declare it). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmModule {
  readonly kind: "module";
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => KernelMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;

/** A module compiled once (on first use) from its bytes, instantiated over a given memory with `env` imports. */
export function kernelInstance(bytes: () => Uint8Array): (memory: KernelMemory, imports?: Record<string, unknown>) => Record<string, unknown> {
  let compiled: WasmModule | null = null;
  return (memory, imports = {}) => {
    compiled ??= new wasm.Module(bytes());
    return new wasm.Instance(compiled, { env: { memory, ...imports } }).exports;
  };
}

/** The memory of the last heap released, for the next one of about its size (its pages already mapped). */
let spare: KernelMemory | null = null;

/**
 * A bump allocator over a kernel memory of at least `bytes` bytes: 16-byte-aligned regions, typed views onto them.
 * The regions are not zeroed (a released heap's memory is reused): each holds what its user writes into it.
 */
export class KernelHeap {
  readonly memory: KernelMemory;
  private used = 0;

  constructor(bytes: number) {
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    const size = spare?.buffer.byteLength ?? 0;
    if (spare && size >= pages * PAGE && size <= 2 * pages * PAGE) this.memory = spare;
    else this.memory = new wasm.Memory({ initial: pages });
    if (this.memory === spare) spare = null;
  }

  /** Hands the memory on to the next heap; neither this heap nor its views may be used afterwards. */
  release(): void {
    spare = this.memory;
  }

  /** Bytes a set of regions needs, with their alignment. */
  static bytes(...sizes: number[]): number {
    return sizes.reduce((sum, size) => sum + align(size), 0);
  }

  private take(bytes: number): number {
    const at = this.used;
    this.used += align(bytes);
    if (this.used > this.memory.buffer.byteLength) throw new RangeError("kernel memory exhausted");
    return at;
  }

  f64(length: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.take(8 * length), length);
  }

  i32(length: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.take(4 * length), length);
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
