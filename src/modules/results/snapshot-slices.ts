/** Counted pairwise judgments per slice (use case, language, item tag, participant community) from a judgment snapshot. */
import type { Board } from "../../core/charter.ts";
import type { SliceDimension } from "../../analytics/results/slices.ts";
import type { JudgmentSnapshot } from "./judgment-snapshot.ts";
import { BOARD_CODE, OUTCOME_SHIFT, personColumns } from "./person-columns.ts";
import { PairCounter } from "./pair-counter.ts";
import type { PairCountRow } from "./queries.ts";

/** A slice key as the SQL `NULLIF(btrim(x), '')` read it: spaces trimmed, empty as none. */
function sliceKey(value: unknown, lower = false): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
  const trimmed = text.replace(/^ +| +$/g, "");
  if (trimmed === "") return null;
  return lower ? trimmed.toLowerCase() : trimmed;
}

/** The slice keys of an item in one dimension (several for tags; [null] when it is in none). */
function itemSlices(scenario: unknown, dimension: Exclude<SliceDimension, "community">): (string | null)[] {
  const fields = scenario !== null && typeof scenario === "object" && !Array.isArray(scenario) ? (scenario as Record<string, unknown>) : {};
  if (dimension === "useCase") return [sliceKey(fields.useCase)];
  if (dimension === "language") return [sliceKey(fields.language, true)];
  const tags = fields.tags;
  if (!Array.isArray(tags) || tags.length === 0) return [null];
  return tags.map((tag) => sliceKey(tag));
}

/** Counted pairwise judgments on `board` per slice of `dimension` and pair, and the distinct people behind each slice. */
export function countedPairsBySlice(snapshot: JudgmentSnapshot, dimension: SliceDimension, board: Board): { pairs: (PairCountRow & { slice: string | null })[]; people: { slice: string | null; contributors: number }[] } {
  const used = sliceCounters(snapshot, dimension, board);
  return {
    pairs: used.flatMap(({ key, counter }) => counter.rows(snapshot.subjectIds).map((r) => ({ ...r, slice: key }))),
    people: used.map(({ key, contributors }) => ({ slice: key, contributors })),
  };
}

type SliceCounters = readonly { readonly key: string | null; readonly counter: PairCounter; readonly contributors: number }[];

/** Slice counters already counted, per snapshot, by dimension and board (several views read the same ones; counters are only read once made). */
const memo = new WeakMap<JudgmentSnapshot, Map<string, SliceCounters>>();

/** The same as counters, with the distinct people behind each slice; slices by key (none last), never in the order of the participants' ids. */
export function sliceCounters(snapshot: JudgmentSnapshot, dimension: SliceDimension, board: Board): SliceCounters {
  const mine = memo.get(snapshot) ?? new Map<string, SliceCounters>();
  memo.set(snapshot, mine);
  const key = `${dimension} ${board}`;
  const found = mine.get(key) ?? countSlices(snapshot, dimension, board);
  mine.set(key, found);
  return found;
}

function countSlices(snapshot: JudgmentSnapshot, dimension: SliceDimension, board: Board): SliceCounters {
  const { code, a, b, item } = personColumns(snapshot);
  const onBoard = BOARD_CODE[board];
  const itemKeys = dimension === "community" ? null : snapshot.itemScenarios.map((scenario) => itemSlices(scenario, dimension));
  const personKeys = snapshot.participants.communities.map((communities) => (communities.length === 0 ? [null] : communities));
  const slices = new Map<string | null, { counter: PairCounter; people: number; last: number }>();
  const keyCount = new Set([null, ...(itemKeys ?? personKeys).flat()]).size;
  const slot = (key: string | null) => {
    const found = slices.get(key) ?? { counter: new PairCounter(snapshot.subjectIds.length, keyCount), people: 0, last: -1 };
    slices.set(key, found);
    return found;
  };
  const byItem = itemKeys?.map((keys) => keys.map(slot));
  const byPerson = personKeys.map((keys) => keys.map(slot));
  const none = [slot(null)];
  const { personStart } = snapshot;
  for (let person = 0; person + 1 < personStart.length; person++) {
    for (let k = personStart[person] as number; k < (personStart[person + 1] as number); k++) {
      const bits = code[k] as number;
      if ((bits & onBoard) === 0) continue;
      const on = item[k] as number;
      for (const slice of byItem ? (on >= 0 ? (byItem[on] ?? none) : none) : (byPerson[person] ?? none)) {
        slice.counter.add(a[k] as number, b[k] as number, (bits >> OUTCOME_SHIFT) & 3);
        if (slice.last !== person) {
          slice.last = person;
          slice.people += 1;
        }
      }
    }
  }
  return [...slices]
    .filter(([, slice]) => slice.counter.total > 0)
    .sort(([x], [y]) => (x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1))
    .map(([key, slice]) => ({ key, counter: slice.counter, contributors: slice.people }));
}
