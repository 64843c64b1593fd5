/** Unpacks the vendored Polis fixtures (test/fixtures/polis*, gzipped) into temporary folders. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";

const FIXTURES = path.join(import.meta.dirname, "..", "..", "fixtures");

export const GOLDEN_CASES = [
  "below-100-ptpts",
  "25ptpt-3gp-no-strict-with-meta",
  "50ptpt-3gp-strict-no-meta",
  "150ptpt-3gp-no-strict-no-meta",
  "above-100-ptpts",
] as const;

export interface GoldenRepness {
  tid: number;
  "n-success": number;
  "n-trials": number;
  "p-success": number;
  "p-test": number;
  repness: number;
  "repness-test": number;
  "repful-for": "agree" | "disagree";
  "best-agree"?: boolean;
}

export interface GoldenConsensus {
  tid: number;
  "n-success": number;
  "n-trials": number;
  "p-success": number;
  "p-test": number;
}

/** the part of Polis's math-pca2.json the tests use */
export interface GoldenMath {
  tids: number[];
  pca: { center: number[]; comps: [number[], number[]]; "comment-extremity": number[] };
  "base-clusters": { id: number[]; members: number[][]; x: number[]; y: number[] };
  "group-clusters": { id: number; members: number[]; center: [number, number] }[];
  "in-conv": number[];
  "mod-out": number[];
  "meta-tids": number[];
  repness: Record<string, GoldenRepness[]>;
  consensus: { agree: GoldenConsensus[]; disagree: GoldenConsensus[] };
  "group-aware-consensus": Record<string, number>;
  "comment-priorities": Record<string, number>;
  "group-votes": Record<string, { votes: Record<string, { A: number; D: number; S: number }> }>;
}

export interface GoldenCase {
  readonly dir: string;
  readonly math: GoldenMath;
}

/** writes the case's votes.json and comments.json to a temporary folder; returns it with the math */
export function unpackGoldenCase(name: string): GoldenCase {
  const data = JSON.parse(gunzipSync(readFileSync(path.join(FIXTURES, "polis-math-golden", `${name}.json.gz`))).toString("utf8")) as {
    votes: unknown;
    comments: unknown;
    math: GoldenMath;
  };
  const dir = mkdtempSync(path.join(tmpdir(), `golden-${name}-`));
  writeFileSync(path.join(dir, "votes.json"), JSON.stringify(data.votes));
  writeFileSync(path.join(dir, "comments.json"), JSON.stringify(data.comments));
  return { dir, math: data.math };
}

/** gunzips test/fixtures/polis/<conversation>/*.gz into a temporary folder */
export function unpackPolisExport(conversation: string): string {
  const source = path.join(FIXTURES, "polis", conversation);
  const dir = mkdtempSync(path.join(tmpdir(), `polis-${conversation}-`));
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(source).filter((f) => f.endsWith(".gz"))) {
    writeFileSync(path.join(dir, file.slice(0, -3)), gunzipSync(readFileSync(path.join(source, file))));
  }
  return dir;
}
