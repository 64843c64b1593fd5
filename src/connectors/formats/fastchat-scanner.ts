/**
 * A byte-level scanner for FastChat / Chatbot Arena battle dumps (a JSON array of battles, or JSON Lines):
 * it reads only model_a, model_b, winner, judge and, inside conv_metadata, the style counts
 * (sum_assistant_{a,b}_tokens, header_count_{a,b}, list_count_{a,b}, bold_count_{a,b}; a count is a number
 * or an object whose numbers are summed), and steps over every other value by matching brackets and
 * quotes, without building it. The fields it reads are validated; the values it steps over are checked
 * only for balanced brackets and strings. Input comes in chunks; a battle cut by a chunk's end is
 * resumed from its start with the next chunk.
 */
import { malformed } from "./errors.ts";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

/** Thrown (never escapes this module) when a battle runs past the bytes at hand. */
const INCOMPLETE = Symbol("incomplete");

/** Where each style count goes: its position in this list is its index into the 8 values (side a's 4, then side b's). */
const STYLE_KEYS = ["sum_assistant_a_tokens", "header_count_a", "list_count_a", "bold_count_a", "sum_assistant_b_tokens", "header_count_b", "list_count_b", "bold_count_b"].map((key) => Buffer.from(key));
const RECORD_KEYS = ["model_a", "model_b", "winner", "judge", "conv_metadata"].map((key) => Buffer.from(key));
const [MODEL_A, MODEL_B, WINNER, JUDGE, CONV_METADATA] = [0, 1, 2, 3, 4];

/** Which of `keys` the key between start and end (exclusive, no quotes) is, by its bytes; −1 for none. */
function keyIndex(bytes: Buffer, start: number, end: number, keys: readonly Buffer[]): number {
  const length = end - start;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as Buffer;
    if (key.length !== length) continue;
    let same = true;
    for (let i = 0; i < length && same; i++) same = bytes[start + i] === key[i];
    if (same) return k;
  }
  return -1;
}

/** One battle's fields as read; reused between battles. */
export interface ScannedBattle {
  modelA: unknown;
  modelB: unknown;
  winner: unknown;
  judge: unknown;
  /** style counts seen, as a bit set over the 8 values */
  styleSeen: number;
  readonly style: Float64Array;
}

export type BattleSink = (battle: ScannedBattle, where: string) => void;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === NEWLINE || byte === 0x0d || byte === 0x09;
}

export class FastchatScanner {
  private mode: "unknown" | "array" | "lines" = "unknown";
  private closed = false;
  private battles = 0;
  private line = 1;
  private readonly battle: ScannedBattle = { modelA: undefined, modelB: undefined, winner: undefined, judge: undefined, styleSeen: 0, style: new Float64Array(8) };

  constructor(private readonly sink: BattleSink) {}

  /** Reads every complete battle in `bytes`; returns how many bytes were used (the rest starts an unfinished battle). */
  feed(bytes: Buffer): number {
    let pos = 0;
    const end = bytes.length;
    for (;;) {
      while (pos < end && isSpace(bytes[pos] as number)) {
        if (bytes[pos] === NEWLINE) this.line += 1;
        pos += 1;
      }
      if (pos >= end) return pos;
      const byte = bytes[pos] as number;
      if (this.closed) throw this.broken();
      if (this.mode === "unknown") {
        this.mode = byte === OPEN_BRACKET ? "array" : "lines";
        if (byte === OPEN_BRACKET) {
          pos += 1;
          continue;
        }
      }
      if (this.mode === "array" && (byte === COMMA || byte === CLOSE_BRACKET)) {
        if (byte === CLOSE_BRACKET) this.closed = true;
        pos += 1;
        continue;
      }
      if (byte !== OPEN_BRACE) throw this.broken();
      try {
        pos = this.record(bytes, pos);
      } catch (error) {
        if (error === INCOMPLETE) return pos;
        throw error;
      }
    }
  }

  /** After the last chunk, with the bytes `feed` left unused. */
  finish(rest: Buffer): number {
    if (rest.some((byte) => !isSpace(byte)) || (this.mode === "array" && !this.closed)) throw this.broken();
    return this.battles;
  }

  private where(): string {
    return this.mode === "lines" ? `line ${this.line}` : `battle ${this.battles + 1}`;
  }

  private broken(): Error {
    return malformed("fastchat", this.mode === "lines" ? `invalid JSON on line ${this.line}` : `not valid JSON after battle ${this.battles}`);
  }

  private record(bytes: Buffer, start: number): number {
    const battle = this.battle;
    battle.modelA = battle.modelB = battle.winner = battle.judge = undefined;
    battle.styleSeen = 0;
    let pos = start + 1;
    for (;;) {
      pos = skipSpace(bytes, pos);
      const byte = bytes[pos] as number;
      if (byte === CLOSE_BRACE) break;
      if (byte === COMMA) {
        pos += 1;
        continue;
      }
      if (byte !== QUOTE) throw this.broken();
      const keyEnd = stringEnd(bytes, pos);
      const key = keyIndex(bytes, pos + 1, keyEnd, RECORD_KEYS);
      pos = skipSpace(bytes, keyEnd + 1);
      if (bytes[pos] !== COLON) throw this.broken();
      pos = skipSpace(bytes, pos + 1);
      if (key === CONV_METADATA) {
        pos = bytes[pos] === OPEN_BRACE ? this.metadata(bytes, pos) : skipValue(bytes, pos);
      } else if (key >= 0) {
        const value = bytes[pos] === QUOTE ? stringValue(bytes, pos) : null;
        const next = value === null ? skipValue(bytes, pos) : stringEnd(bytes, pos) + 1;
        if (key === MODEL_A) battle.modelA = value;
        else if (key === MODEL_B) battle.modelB = value;
        else if (key === WINNER) battle.winner = value;
        else if (key === JUDGE) battle.judge = value;
        pos = next;
      } else {
        pos = skipValue(bytes, pos);
      }
    }
    if (this.mode === "lines") {
      // a JSON Lines record ends its line
      let after = pos + 1;
      while (after < bytes.length && bytes[after] !== NEWLINE && isSpace(bytes[after] as number)) after += 1;
      if (after < bytes.length && bytes[after] !== NEWLINE) throw this.broken();
    }
    this.sink(battle, this.where());
    this.battles += 1;
    return pos + 1;
  }

  private metadata(bytes: Buffer, start: number): number {
    let pos = start + 1;
    for (;;) {
      pos = skipSpace(bytes, pos);
      const byte = bytes[pos] as number;
      if (byte === CLOSE_BRACE) return pos + 1;
      if (byte === COMMA) {
        pos += 1;
        continue;
      }
      if (byte !== QUOTE) throw this.broken();
      const keyEnd = stringEnd(bytes, pos);
      const slot = keyIndex(bytes, pos + 1, keyEnd, STYLE_KEYS);
      pos = skipSpace(bytes, keyEnd + 1);
      if (bytes[pos] !== COLON) throw this.broken();
      pos = skipSpace(bytes, pos + 1);
      const end = skipValue(bytes, pos);
      if (slot >= 0) {
        const count = countValue(bytes, pos, end);
        if (count !== null) {
          this.battle.style[slot] = count;
          this.battle.styleSeen |= 1 << slot;
        }
      }
      pos = end;
    }
  }
}

/**
 * A count: a number, or an object whose values are all numbers, summed (FastChat's header_count_a is
 * {h1: …, …, h6: …}); null for anything else. Read from the bytes, without building strings.
 */
function countValue(bytes: Buffer, start: number, end: number): number | null {
  if (bytes[start] !== OPEN_BRACE) return numberAt(bytes, start, end);
  let sum = 0;
  let pos = start + 1;
  while (pos < end) {
    const byte = bytes[pos] as number;
    if (byte === QUOTE) {
      // a key, then its value: the next non-space after the colon
      pos = skipSpace(bytes, stringEnd(bytes, pos) + 1);
      if (bytes[pos] !== COLON) return null;
      pos = skipSpace(bytes, pos + 1);
      const valueEnd = skipValue(bytes, pos);
      const value = numberAt(bytes, pos, valueEnd);
      if (value === null) return null;
      sum += value;
      pos = valueEnd;
    } else if (byte === CLOSE_BRACE) return sum;
    else pos += 1;
  }
  return null;
}

/** The JSON number between start and end; null when it is not one. Plain integers are read digit by digit. */
function numberAt(bytes: Buffer, start: number, end: number): number | null {
  let value = 0;
  for (let pos = start; pos < end; pos++) {
    const digit = (bytes[pos] as number) - 0x30;
    if (digit < 0 || digit > 9) {
      const parsed = Number(bytes.toString("latin1", start, end));
      return end > start && Number.isFinite(parsed) ? parsed : null;
    }
    value = 10 * value + digit;
  }
  return end > start ? value : null;
}

function skipSpace(bytes: Buffer, pos: number): number {
  while (pos < bytes.length) {
    if (!isSpace(bytes[pos] as number)) return pos;
    pos += 1;
  }
  throw INCOMPLETE;
}

/** The position of the quote closing the string that opens at `start`. */
function stringEnd(bytes: Buffer, start: number): number {
  let quote = start + 1;
  for (;;) {
    quote = bytes.indexOf(QUOTE, quote);
    if (quote < 0) throw INCOMPLETE;
    let backslashes = 0;
    for (let k = quote - 1; bytes[k] === BACKSLASH; k--) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote += 1;
  }
}

function stringValue(bytes: Buffer, start: number): string {
  const end = stringEnd(bytes, start);
  const escaped = bytes.indexOf(BACKSLASH, start + 1);
  if (escaped < 0 || escaped > end) return bytes.toString("utf8", start + 1, end);
  return JSON.parse(bytes.toString("utf8", start, end + 1)) as string;
}

/** The position after the value starting at `start`: a string, a bracketed value, or a bare scalar. */
function skipValue(bytes: Buffer, start: number): number {
  const first = bytes[start] as number;
  if (first === QUOTE) return stringEnd(bytes, start) + 1;
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let pos = start; pos < bytes.length; pos++) {
      const byte = bytes[pos] as number;
      if (byte === QUOTE) pos = stringEnd(bytes, pos);
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) return pos + 1;
      }
    }
    throw INCOMPLETE;
  }
  for (let pos = start; pos < bytes.length; pos++) {
    const byte = bytes[pos] as number;
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) return pos;
  }
  throw INCOMPLETE;
}
