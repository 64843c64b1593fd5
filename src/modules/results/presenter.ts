/** Results as the API answers them: dissent share rows in camelCase. */
import type { gateShareRow } from "./dissent-shares.ts";

type GatedShareRow = ReturnType<typeof gateShareRow>;

export function presentShareRow(row: GatedShareRow) {
  const { both_bad, ...rest } = row;
  return { ...rest, bothBad: both_bad };
}

export function presentResults<T extends { dissent: { byItem: GatedShareRow[]; bySubject: GatedShareRow[] } }>(results: T) {
  const { byItem, bySubject } = results.dissent;
  return { ...results, dissent: { ...results.dissent, byItem: byItem.map(presentShareRow), bySubject: bySubject.map(presentShareRow) } };
}
