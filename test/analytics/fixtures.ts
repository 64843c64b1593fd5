/** Loading the vendored reference fixtures for the results tests. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseDataset } from "../../src/connectors/formats/index.ts";
import type { PairwiseDataset, RankingDataset } from "../../src/connectors/formats/index.ts";

export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));
}

export function fixtureText(relative: string): string {
  return readFileSync(fixturePath(relative), "utf8");
}

export function pairwiseFixture(format: string, relative: string): PairwiseDataset {
  const dataset = parseDataset(format, fixtureText(relative));
  if (dataset.kind !== "pairwise") throw new Error(`${relative} is not pairwise`);
  return dataset;
}

export function rankingFixture(relative: string): RankingDataset {
  const dataset = parseDataset("oasst", fixtureText(relative));
  if (dataset.kind !== "ranking-groups") throw new Error(`${relative} is not a ranking file`);
  return dataset;
}
