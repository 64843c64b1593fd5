/** What the two opinion-replay benches share: where the Polis exports are, and how a map is compared with Polis's. */
import path from "node:path";
import { groupLabels, labelAgreement } from "../src/analytics/opinion/replay.ts";
import type { OpinionMap } from "../src/analytics/opinion/types.ts";

export const sharedData = process.env.COUNTERPUBLIC_SHARED_DATA ?? path.join(import.meta.dirname, "..", "..", "shared", "data");

/** ARI of a map's groups against Polis's exported groups (NaN when fewer than two participants are in both) */
export function againstPolis(map: OpinionMap, polis: ReadonlyMap<string, string>): number {
  return labelAgreement(groupLabels(map), polis) ?? NaN;
}

/** sum of squared distances of the clustered participants to their group's center (the k-means objective) */
export function inertia(map: OpinionMap): number {
  let total = 0;
  for (const g of map.groups) for (const p of g.participants) total += (map.projections[p]![0] - g.center[0]) ** 2 + (map.projections[p]![1] - g.center[1]) ** 2;
  return total;
}
