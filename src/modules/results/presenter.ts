/** Results as the API answers them: dissent share rows in camelCase. */
import type { ShareRow } from "./queries.ts";

export function presentShareRow(row: ShareRow) {
  const { both_bad, ...rest } = row;
  return { ...rest, bothBad: both_bad };
}

export function presentResults<T extends { dissent: { byItem: ShareRow[]; bySubject: ShareRow[] } }>(results: T) {
  const { byItem, bySubject } = results.dissent;
  return { ...results, dissent: { ...results.dissent, byItem: byItem.map(presentShareRow), bySubject: bySubject.map(presentShareRow) } };
}
