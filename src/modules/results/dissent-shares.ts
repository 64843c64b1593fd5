/** Dissent with the task as a result: ties, both_bad, abstentions and contests, and exclusions, each gated by k. */
import { contributorMarker, gateCells } from "../../core/k-anonymity.ts";
import * as q from "./queries.ts";
import type { JudgmentSnapshot } from "./judgment-snapshot.ts";
import { sharesByItem, sharesBySubject } from "./snapshot-tallies.ts";

/** Why judgments were left out, per reason; a reason behind fewer than k people shows no count. */
export function gatedExclusions(rows: readonly { kind: string; reason: string; n: number; people: number }[], k: number) {
  return rows.map((row) => {
    const marker = contributorMarker(row.people, k);
    return marker ? { kind: row.kind, reason: row.reason, n: null, suppressed: marker } : { kind: row.kind, reason: row.reason, n: row.n };
  });
}

const SHARE_CELLS = ["tie", "both_bad", "abstention", "contest", "other"] as const;

/** One row of ties, both_bad, abstentions and contests, each figure hidden below k distinct people (with complements). */
export function gateShareRow(row: q.ShareRow, k: number) {
  const value = { tie: row.tie, both_bad: row.both_bad, abstention: row.abstention, contest: row.contest, other: row.judgments - row.tie - row.both_bad - row.abstention - row.contest };
  const gate = gateCells(SHARE_CELLS.map((key) => ({ key, value: value[key], people: row.people[key] })), k);
  const cell = (key: (typeof SHARE_CELLS)[number]) => gate.values.get(key) ?? null;
  return {
    key: row.key,
    judgments: gate.total,
    tie: cell("tie"),
    both_bad: cell("both_bad"),
    abstention: cell("abstention"),
    contest: cell("contest"),
    ...(gate.suppressed ? { suppressed: gate.suppressed } : {}),
  };
}

export function dissentShares(snapshot: JudgmentSnapshot, names: ReadonlyMap<string, string>, tallies: readonly q.TallyRow[], k: number) {
  const items = sharesByItem(snapshot);
  const subjects = sharesBySubject(snapshot);
  const byItem = items.map((row) => gateShareRow(row, k));
  // listed by subject name, not by the id the SQL groups by (ids differ between installs of the same data)
  const bySubject = subjects.map((row) => gateShareRow({ ...row, key: names.get(row.key) ?? row.key }, k)).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  // the totals are one more row: all items together
  const sum = (pick: (row: q.ShareRow) => number) => items.reduce((total, row) => total + pick(row), 0);
  const people = q.dissentPeople(tallies);
  const totals = gateCells(
    [
      { key: "abstention", value: sum((r) => r.abstention), people: people.abstention },
      { key: "contest", value: sum((r) => r.contest), people: people.contest },
      { key: "other", value: sum((r) => r.judgments - r.abstention - r.contest), people: people.other },
    ],
    k,
  );
  return {
    abstentions: totals.values.get("abstention") ?? null,
    contests: totals.values.get("contest") ?? null,
    ...(totals.suppressed ? { suppressed: totals.suppressed } : {}),
    byItem,
    bySubject,
  };
}

/** The same rules per self-described community; communities with fewer than k contributors are not shown. */
