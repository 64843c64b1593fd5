/** Reading an evaluation file in one of the supported formats. */
import { readFile } from "node:fs/promises";
import { parseArenaPairs } from "./arena-pairs.ts";
import { FORMAT_NAMES } from "./dataset.ts";
import type { Dataset, FormatName } from "./dataset.ts";
import { FormatError } from "./errors.ts";
import { parseFastchat, readFastchatFile } from "./fastchat.ts";
import { parseLlmfao } from "./llmfao.ts";
import { parseOasst } from "./oasst.ts";

const PARSERS: Readonly<Record<FormatName, (text: string) => Dataset>> = {
  "arena-pairs": parseArenaPairs,
  fastchat: parseFastchat,
  llmfao: parseLlmfao,
  oasst: parseOasst,
};

function isFormatName(value: string): value is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(value);
}

/** Parses file text in the named format; FormatError for an unknown format or a malformed file. */
export function parseDataset(format: string, text: string): Dataset {
  if (!isFormatName(format)) {
    throw new FormatError("unknown_format", `unknown format "${format}"; expected one of ${FORMAT_NAMES.join(", ")}`);
  }
  return PARSERS[format](text);
}

/** Reads and parses a file; FormatError when it cannot be read. */
export async function readDataset(path: string, format: string): Promise<Dataset> {
  if (!isFormatName(format)) return parseDataset(format, "");
  if (format === "fastchat") return readFastchatFile(path).catch((error: unknown) => {
    throw error instanceof FormatError ? error : new FormatError("unreadable_file", `cannot read ${path} (${errorCode(error)})`);
  });
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FormatError("unreadable_file", `cannot read ${path} (${errorCode(error)})`);
  }
  return parseDataset(format, text);
}

export { FormatError } from "./errors.ts";
export type { Dataset, FormatName, PairwiseDataset, RankingDataset, RankingGroup } from "./dataset.ts";
export { FORMAT_NAMES } from "./dataset.ts";

function errorCode(error: unknown): string {
  return error instanceof Error && "code" in error ? String(error.code) : "cannot read";
}
