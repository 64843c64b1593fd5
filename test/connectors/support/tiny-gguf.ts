/**
 * Writes a tiny but complete GGUF v3 model by hand: llama architecture, 1 layer, SentencePiece
 * ("llama") vocabulary with the 256 byte-fallback tokens, f32 weights from a seeded PRNG.
 * Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const GGUF_VERSION = 3;
const ALIGNMENT = 32;
const GGML_TYPE_F32 = 0;

enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}

type MetadataValue =
  | { type: ValueType.UINT32 | ValueType.INT32 | ValueType.FLOAT32; value: number }
  | { type: ValueType.BOOL; value: boolean }
  | { type: ValueType.STRING; value: string }
  | { type: ValueType.ARRAY; items: ValueType.STRING; value: readonly string[] }
  | { type: ValueType.ARRAY; items: ValueType.FLOAT32 | ValueType.INT32; value: readonly number[] };

interface Tensor {
  readonly name: string;
  /** ggml order: dims[0] is the fastest-moving (row length) */
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** Little-endian byte sink. */
class ByteWriter {
  private readonly parts: Buffer[] = [];
  length = 0;
  private push(buffer: Buffer): void {
    this.parts.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.push(buffer);
  }
  i32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32LE(value);
    this.push(buffer);
  }
  u64(value: number): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.push(buffer);
  }
  f32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeFloatLE(value);
    this.push(buffer);
  }
  u8(value: number): void {
    this.push(Buffer.from([value]));
  }
  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  bytes(buffer: Buffer): void {
    this.push(buffer);
  }
  padTo(alignment: number): void {
    const remainder = this.length % alignment;
    if (remainder) this.push(Buffer.alloc(alignment - remainder));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function writeValue(out: ByteWriter, entry: MetadataValue): void {
  out.u32(entry.type);
  switch (entry.type) {
    case ValueType.UINT32:
      return out.u32(entry.value);
    case ValueType.INT32:
      return out.i32(entry.value);
    case ValueType.FLOAT32:
      return out.f32(entry.value);
    case ValueType.BOOL:
      return out.u8(entry.value ? 1 : 0);
    case ValueType.STRING:
      return out.string(entry.value);
    case ValueType.ARRAY:
      out.u32(entry.items);
      out.u64(entry.value.length);
      for (const item of entry.value) {
        if (typeof item === "string") out.string(item);
        else if (entry.items === ValueType.FLOAT32) out.f32(item);
        else out.i32(item);
      }
  }
}

/** Serialises metadata and tensors into the GGUF v3 layout (header, KV, tensor infos, aligned data). */
export function encodeGguf(metadata: ReadonlyMap<string, MetadataValue>, tensors: readonly Tensor[]): Buffer {
  const out = new ByteWriter();
  out.u32(GGUF_MAGIC);
  out.u32(GGUF_VERSION);
  out.u64(tensors.length);
  out.u64(metadata.size);
  for (const [key, value] of metadata) {
    out.string(key);
    writeValue(out, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(GGML_TYPE_F32);
    out.u64(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  out.padTo(ALIGNMENT);
  for (const tensor of tensors) {
    out.bytes(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.padTo(ALIGNMENT);
  }
  return out.toBuffer();
}

/** mulberry32: a small seeded PRNG, so the model file is the same on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const TINY_WORDS = ["▁hello", "▁world", "▁the", "▁a", "▁cat", "▁dog", "▁sees", "▁runs", "▁and", "▁is", "▁red", "▁blue", "▁big", "▁small", "▁today", "▁here"] as const;

/**
 * SentencePiece vocabulary: <unk>, <s>, </s>, the 256 byte tokens, "▁" and a–z (so that text
 * tokenizes to letters and detokenizes with spaces), then whole words (what the model emits).
 */
function vocabulary(): { tokens: string[]; scores: number[]; types: number[] } {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types = [2, 3, 3]; // unknown, control, control
  for (let byte = 0; byte < 256; byte += 1) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(6); // byte
  }
  for (const piece of ["▁", ..."abcdefghijklmnopqrstuvwxyz", ...TINY_WORDS]) {
    tokens.push(piece);
    types.push(1); // normal
  }
  const scores = tokens.map((_, index) => (types[index] === 1 ? -index / 10 : 0));
  return { tokens, scores, types };
}

export interface TinyModelShape {
  readonly embedding: number;
  readonly heads: number;
  readonly feedForward: number;
  readonly context: number;
}

/**
 * The whole model file. The output projection rows of every token but the whole words are zero, so
 * greedy decoding always picks a word (random rows give some word a positive logit) and never stops early.
 */
export function tinyLlamaGguf(seed = 7, shape: TinyModelShape = { embedding: 16, heads: 2, feedForward: 32, context: 2048 }): Buffer {
  const random = prng(seed);
  const { tokens, scores, types } = vocabulary();
  const nVocab = tokens.length;
  const { embedding: nEmbd, feedForward: nFf } = shape;
  const weights = (count: number, scale = 0.5): Float32Array => Float32Array.from({ length: count }, () => (random() * 2 - 1) * scale);
  const ones = (count: number): Float32Array => new Float32Array(count).fill(1);
  const output = weights(nEmbd * nVocab, 1);
  tokens.forEach((token, id) => {
    if (!(TINY_WORDS as readonly string[]).includes(token)) output.fill(0, id * nEmbd, (id + 1) * nEmbd);
  });
  const tensors: Tensor[] = [
    { name: "token_embd.weight", dims: [nEmbd, nVocab], data: weights(nEmbd * nVocab, 1) },
    { name: "blk.0.attn_norm.weight", dims: [nEmbd], data: ones(nEmbd) },
    { name: "blk.0.attn_q.weight", dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd) },
    { name: "blk.0.attn_k.weight", dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd) },
    { name: "blk.0.attn_v.weight", dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd) },
    { name: "blk.0.attn_output.weight", dims: [nEmbd, nEmbd], data: weights(nEmbd * nEmbd) },
    { name: "blk.0.ffn_norm.weight", dims: [nEmbd], data: ones(nEmbd) },
    { name: "blk.0.ffn_gate.weight", dims: [nEmbd, nFf], data: weights(nEmbd * nFf) },
    { name: "blk.0.ffn_up.weight", dims: [nEmbd, nFf], data: weights(nEmbd * nFf) },
    { name: "blk.0.ffn_down.weight", dims: [nFf, nEmbd], data: weights(nFf * nEmbd) },
    { name: "output_norm.weight", dims: [nEmbd], data: ones(nEmbd) },
    { name: "output.weight", dims: [nEmbd, nVocab], data: output },
  ];
  const u32 = (value: number): MetadataValue => ({ type: ValueType.UINT32, value });
  const metadata = new Map<string, MetadataValue>([
    ["general.architecture", { type: ValueType.STRING, value: "llama" }],
    ["general.name", { type: ValueType.STRING, value: "counterpublic-tiny-test" }],
    ["general.alignment", u32(ALIGNMENT)],
    ["llama.context_length", u32(shape.context)],
    ["llama.embedding_length", u32(nEmbd)],
    ["llama.block_count", u32(1)],
    ["llama.feed_forward_length", u32(nFf)],
    ["llama.attention.head_count", u32(shape.heads)],
    ["llama.attention.head_count_kv", u32(shape.heads)],
    ["llama.rope.dimension_count", u32(nEmbd / shape.heads)],
    ["llama.attention.layer_norm_rms_epsilon", { type: ValueType.FLOAT32, value: 1e-5 }],
    ["llama.vocab_size", u32(nVocab)],
    ["tokenizer.ggml.model", { type: ValueType.STRING, value: "llama" }],
    ["tokenizer.ggml.tokens", { type: ValueType.ARRAY, items: ValueType.STRING, value: tokens }],
    ["tokenizer.ggml.scores", { type: ValueType.ARRAY, items: ValueType.FLOAT32, value: scores }],
    ["tokenizer.ggml.token_type", { type: ValueType.ARRAY, items: ValueType.INT32, value: types }],
    ["tokenizer.ggml.unknown_token_id", u32(0)],
    ["tokenizer.ggml.bos_token_id", u32(1)],
    ["tokenizer.ggml.eos_token_id", u32(2)],
    ["tokenizer.ggml.add_bos_token", { type: ValueType.BOOL, value: true }],
    ["tokenizer.ggml.add_eos_token", { type: ValueType.BOOL, value: false }],
  ]);
  return encodeGguf(metadata, tensors);
}
