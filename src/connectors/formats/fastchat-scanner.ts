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

/** Where each style count goes: index into the 8 values (4 features of side a, then of side b). */
const STYLE_KEYS: Readonly<Record<string, number>> = {
  sum_assistant_a_tokens: 0,
  header_count_a: 1,
  list_count_a: 2,
  bold_count_a: 3,
  sum_assistant_b_tokens: 4,
  header_count_b: 5,
  list_count_b: 6,
  bold_count_b: 7,
};

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
      const key = bytes.toString("latin1", pos + 1, keyEnd);
      pos = skipSpace(bytes, keyEnd + 1);
      if (bytes[pos] !== COLON) throw this.broken();
      pos = skipSpace(bytes, pos + 1);
      switch (key) {
        case "model_a":
        case "model_b":
        case "winner":
        case "judge": {
          const value = bytes[pos] === QUOTE ? stringValue(bytes, pos) : null;
          const next = value === null ? skipValue(bytes, pos) : stringEnd(bytes, pos) + 1;
          if (key === "model_a") battle.modelA = value;
          else if (key === "model_b") battle.modelB = value;
          else if (key === "winner") battle.winner = value;
          else battle.judge = value;
          pos = next;
          break;
        }
        case "conv_metadata":
          pos = bytes[pos] === OPEN_BRACE ? this.metadata(bytes, pos) : skipValue(bytes, pos);
          break;
        default:
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
      const slot = STYLE_KEYS[bytes.toString("latin1", pos + 1, keyEnd)];
      pos = skipSpace(bytes, keyEnd + 1);
      if (bytes[pos] !== COLON) throw this.broken();
      pos = skipSpace(bytes, pos + 1);
      const end = skipValue(bytes, pos);
      if (slot !== undefined) {
        const count = countValue(bytes.toString("latin1", pos, end));
        if (count !== null) {
          this.battle.style[slot] = count;
          this.battle.styleSeen |= 1 << slot;
        }
      }
      pos = end;
    }
  }
}

/** A count: a number, or an object of numbers summed (FastChat's header_count_a is {h1: …, …, h6: …}); null otherwise. */
function countValue(text: string): number | null {
  const first = text.charCodeAt(0);
  if (first !== OPEN_BRACE) {
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== "object") return null;
  let sum = 0;
  for (const value of Object.values(parsed)) {
    if (typeof value !== "number") return null;
    sum += value;
  }
  return sum;
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
