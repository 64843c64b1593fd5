/**
 * The results' aggregates taken from one judgment snapshot (judgment-snapshot.ts), each in one pass over its
 * typed arrays, in the shapes the SQL aggregates had: pair counts per board and per community (per slice:
 * snapshot-slices.ts), the
 * per-person tallies, the dissent shares per item and per subject, the agreement units, Elo's ordered sequence,
 * individual votes and identity-leak counts.
 */
import type { Board } from "../../core/charter.ts";
import { JUDGMENT_KINDS, PAIRWISE_OUTCOMES, type PairwiseOutcome } from "../../core/judgment.ts";
import { countedPairRows, FLAG, type JudgmentSnapshot } from "./judgment-snapshot.ts";
import { CODE, personColumns, SHARE_SHIFT } from "./person-columns.ts";
import { PairCounter } from "./pair-counter.ts";
import { sliceCounters } from "./snapshot-slices.ts";
import type { PackedSequence, PairCountRow, ShareRow, TallyRow } from "./queries.ts";

/** Why a judgment is left out of results — no `aggregate` consent now, or a reason recorded on it — or null when it counts. */
export function exclusionOf(snapshot: JudgmentSnapshot, row: number): string | null {
  if (snapshot.counted[row] === 1) return null;
  if (snapshot.participants.consenting[snapshot.who[row] as number] !== 1) return "consent_lacks_aggregate";
  return snapshot.excluded.get(row) ?? null;
}

/** Counted pairwise judgments on `board`, counted per (a, b, outcome). */
export function pairCounter(snapshot: JudgmentSnapshot, board: Board): PairCounter {
  const counted = countedPairRows(snapshot, board);
  const counter = new PairCounter(snapshot.subjectIds.length);
  const { a, b, outcome } = snapshot;
  for (let row = 0; row < snapshot.size; row++) if (counted[row] === 1) counter.add(a[row] as number, b[row] as number, outcome[row] as number);
  return counter;
}

export function countedPairs(snapshot: JudgmentSnapshot, board: Board): PairCountRow[] {
  return pairCounter(snapshot, board).rows(snapshot.subjectIds);
}

/** Current counted pairwise judgments per community of their author (a judgment counts in each of them). */
export function countedPairsByCommunity(snapshot: JudgmentSnapshot): (PairCountRow & { community: string })[] {
  return [...pairCountersByCommunity(snapshot)].flatMap(([community, counter]) => counter.rows(snapshot.subjectIds).map((r) => ({ ...r, community })));
}

/**
 * Current counted pairwise judgments per community of their author (a judgment counts in each of them), as
 * counters: the community slices of the revised board (the same counters, counted once per snapshot) without the
 * slice of people in none.
 */
export function pairCountersByCommunity(snapshot: JudgmentSnapshot): Map<string, PairCounter> {
  return new Map(sliceCounters(snapshot, "community", "revised").flatMap(({ key, counter }) => (key === null ? [] : [[key, counter] as const])));
}

/** At most this many dense tally counts (4 bytes each); beyond, a map of the keys met. */
const TALLY_BUDGET = 1 << 22;

/** Per participant, kind, exclusion reason, on an item or not and revision or not: how many current judgments. */
export function judgmentTallies(snapshot: JudgmentSnapshot): TallyRow[] {
  const reasons = [...new Set([null, "consent_lacks_aggregate", ...snapshot.excluded.values()])];
  const reasonCode = new Map<string | null, number>(reasons.map((reason, code) => [reason, code]));
  const reasonCount = reasons.length;
  const keyCount = snapshot.participants.ids.length * JUDGMENT_KINDS.length * reasonCount * 4;
  const dense = keyCount <= TALLY_BUDGET ? new Int32Array(keyCount) : null;
  const sparse = dense ? null : new Map<number, number>();
  const { size, flags, who, kind, item, counted } = snapshot;
  for (let row = 0; row < size; row++) {
    const flag = flags[row] as number;
    if ((flag & FLAG.revised) === 0) continue;
    const code = counted[row] === 1 ? 0 : (reasonCode.get(exclusionOf(snapshot, row)) ?? 0);
    const key = ((((who[row] as number) * JUDGMENT_KINDS.length + (kind[row] as number)) * reasonCount + code) * 2 + ((item[row] as number) >= 0 ? 1 : 0)) * 2 + ((flag & FLAG.revision) !== 0 ? 1 : 0);
    if (dense) dense[key] = (dense[key] as number) + 1;
    else sparse?.set(key, (sparse.get(key) ?? 0) + 1);
  }
  const tallies: TallyRow[] = [];
  const emit = (key: number, n: number) => {
    const revision = key % 2 === 1;
    const onItem = Math.floor(key / 2) % 2 === 1;
    const rest = Math.floor(key / 4);
    const code = rest % reasonCount;
    const person = Math.floor(rest / reasonCount);
    tallies.push({
      participant_id: snapshot.participants.ids[Math.floor(person / JUDGMENT_KINDS.length)] ?? "",
      kind: JUDGMENT_KINDS[person % JUDGMENT_KINDS.length] ?? "",
      reason: reasons[code] ?? null,
      on_item: onItem,
      revision,
      n,
    });
  };
  if (dense) dense.forEach((n, key) => n > 0 && emit(key, n));
  else [...(sparse ?? [])].sort(([x], [y]) => x - y).forEach(([key, n]) => emit(key, n));
  return tallies;
}

/**
 * Distinct contributing participants per self-described community (for k-suppression), from the snapshot's own
 * participants: the very membership its community pair counts used (a later read could gate figures computed
 * from other people). Contributors without any community form one more group (null), so that the groups cover
 * every contributor.
 */
export function communitySizes(snapshot: JudgmentSnapshot, tallies: readonly TallyRow[]): { community: string | null; participants: number }[] {
  const counted = new Set(tallies.filter((tally) => tally.reason === null).map((tally) => tally.participant_id));
  const sizes = new Map<string | null, number>();
  snapshot.participants.ids.forEach((id, p) => {
    if (!counted.has(id)) return;
    const communities = snapshot.participants.communities[p] ?? [];
    for (const community of new Set(communities.length === 0 ? [null] : communities)) sizes.set(community, (sizes.get(community) ?? 0) + 1);
  });
  // by name (no community last), never by the participants' ids, which differ between installs
  const byName = (x: string | null, y: string | null) => (x === y ? 0 : x === null ? 1 : y === null ? -1 : x < y ? -1 : 1);
  return [...sizes].sort(([x], [y]) => byName(x, y)).map(([community, participants]) => ({ community, participants }));
}

/**
 * Counted pairwise judgments on `board` in the order they were made, between two different subjects, indexed by
 * `subjectIds` (−1 … left out: a subject not in the list, e.g. first judged after the names were read).
 */
export function pairSequence(snapshot: JudgmentSnapshot, board: Board, subjectIds: readonly string[]): PackedSequence {
  const position = new Map(subjectIds.map((id, i) => [id, i]));
  const map = Int32Array.from(snapshot.subjectIds, (id) => position.get(id) ?? -1);
  const counted = countedPairRows(snapshot, board);
  const { a, b, outcome } = snapshot;
  const outA = new Int32Array(snapshot.size);
  const outB = new Int32Array(snapshot.size);
  const scoreA = new Float64Array(snapshot.size);
  const scores = [1, 0, 0.5, 0.5];
  let kept = 0;
  for (let row = 0; row < snapshot.size; row++) {
    if (counted[row] !== 1 || a[row] === b[row]) continue;
    const i = map[a[row] as number] as number;
    const j = map[b[row] as number] as number;
    if (i < 0 || j < 0) continue;
    outA[kept] = i;
    outB[kept] = j;
    scoreA[kept] = scores[outcome[row] as number] ?? 0.5;
    kept += 1;
  }
  return { a: outA.slice(0, kept), b: outB.slice(0, kept), scoreA: scoreA.slice(0, kept) };
}

/** Counted pairwise votes on `board`, in the order they were cast, with their author's pseudonym. */
export function individualVotes(snapshot: JudgmentSnapshot, board: Board): { pseudonym: string; subject_a: string; subject_b: string; outcome: PairwiseOutcome }[] {
  const counted = countedPairRows(snapshot, board);
  const votes: { pseudonym: string; subject_a: string; subject_b: string; outcome: PairwiseOutcome }[] = [];
  for (let row = 0; row < snapshot.size; row++) {
    if (counted[row] !== 1) continue;
    votes.push({
      pseudonym: snapshot.participants.pseudonyms[snapshot.who[row] as number] ?? "",
      subject_a: snapshot.subjectIds[snapshot.a[row] as number] ?? "",
      subject_b: snapshot.subjectIds[snapshot.b[row] as number] ?? "",
      outcome: PAIRWISE_OUTCOMES[snapshot.outcome[row] as number] as PairwiseOutcome,
    });
  }
  return votes;
}

/** Per pseudonym of a consenting participant, current judgments set aside because a response revealed its subject. */
export function identityLeakVotes(snapshot: JudgmentSnapshot): { pseudonym: string; votes: number }[] {
  const votes = new Map<string, number>();
  for (const [row, reason] of snapshot.excluded) {
    if (reason !== "identity_leak" || ((snapshot.flags[row] as number) & FLAG.revised) === 0) continue;
    const who = snapshot.who[row] as number;
    if (snapshot.participants.consenting[who] !== 1) continue;
    const pseudonym = snapshot.participants.pseudonyms[who] ?? "";
    votes.set(pseudonym, (votes.get(pseudonym) ?? 0) + 1);
  }
  return [...votes].map(([pseudonym, n]) => ({ pseudonym, votes: n }));
}

/** Per key: judgments, the five figures, and the distinct people behind each figure. */
const SHARE_WIDTH = 11;

/** Per key counts of one share table: judgments, the five figures, and their distinct people (SHARE_WIDTH each). */
class ShareTable {
  readonly counts: Int32Array;
  private readonly last: Int32Array;
  constructor(private readonly keyCount: number) {
    this.counts = new Int32Array(keyCount * SHARE_WIDTH);
    this.last = new Int32Array(keyCount * 5).fill(-1);
  }
  /** a figure's distinct people are counted by remembering, per (key, figure), the last person counted */
  add(key: number, share: number, person: number): void {
    if (key < 0 || key >= this.keyCount) return;
    const at = key * SHARE_WIDTH;
    this.counts[at] = (this.counts[at] as number) + 1;
    this.counts[at + 1 + share] = (this.counts[at + 1 + share] as number) + 1;
    if (this.last[key * 5 + share] !== person) {
      this.last[key * 5 + share] = person;
      this.counts[at + 6 + share] = (this.counts[at + 6 + share] as number) + 1;
    }
  }
  rows(keyOf: (index: number) => string): ShareRow[] {
    const out: ShareRow[] = [];
    for (let key = 0; key < this.keyCount; key++) {
      const at = key * SHARE_WIDTH;
      if (this.counts[at] === 0) continue;
      const c = (offset: number) => this.counts[at + offset] as number;
      out.push({ key: keyOf(key), judgments: c(0), tie: c(1), both_bad: c(2), abstention: c(3), contest: c(4), people: { tie: c(6), both_bad: c(7), abstention: c(8), contest: c(9), other: c(10) } });
    }
    return out.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  }
}

const shareTables = new WeakMap<JudgmentSnapshot, { items: readonly ShareRow[]; subjects: readonly ShareRow[] }>();

/**
 * Share figures per item and per subject, in one visit of the rows person by person (in columns rearranged so,
 * read in order), once per snapshot: the results and the dissent record read the same tables (not to be changed).
 */
function shares(snapshot: JudgmentSnapshot): { items: readonly ShareRow[]; subjects: readonly ShareRow[] } {
  const found = shareTables.get(snapshot);
  if (found) return found;
  const { code, a, b, item } = personColumns(snapshot);
  const byItem = new ShareTable(snapshot.itemIds.length);
  const bySubject = new ShareTable(snapshot.subjectIds.length);
  const { byPerson, personStart, responseSubjects } = snapshot;
  for (let person = 0; person + 1 < personStart.length; person++) {
    for (let k = personStart[person] as number; k < (personStart[person + 1] as number); k++) {
      const bits = code[k] as number;
      if ((bits & CODE.current) === 0) continue;
      const share = (bits >> SHARE_SHIFT) & 7;
      byItem.add(item[k] as number, share, person);
      if ((bits & CODE.showsTwo) !== 0) {
        bySubject.add(a[k] as number, share, person);
        bySubject.add(b[k] as number, share, person);
      } else for (const subject of responseSubjects.get(byPerson[k] as number) ?? []) bySubject.add(subject, share, person);
    }
  }
  const made = { items: byItem.rows((index) => snapshot.itemIds[index] ?? ""), subjects: bySubject.rows((index) => snapshot.subjectIds[index] ?? "") };
  shareTables.set(snapshot, made);
  return made;
}

/** Ties, both_bad, abstentions and contests per item among current counted judgments: dissent with the task is a result too. */
export function sharesByItem(snapshot: JudgmentSnapshot): readonly ShareRow[] {
  return shares(snapshot).items;
}

/** The same per subject: a pairwise judgment showing two responses counts for both subjects, any other for the subject of each response shown. */
export function sharesBySubject(snapshot: JudgmentSnapshot): readonly ShareRow[] {
  return shares(snapshot).subjects;
}

/** Units (item and unordered pair) counted in a dense byte array while there are at most this many. */
const DENSE_UNITS = 1 << 24;

/**
 * Outcomes per (item, unordered pair) unit judged by more than one current counted vote, for Krippendorff's α.
 * Each outcome is oriented by the two subjects' names in byte order (the same on every install), never by ids.
 * Units are found by sorting one number per vote (unit · 4 + oriented outcome) rather than by a map of a million
 * keys; when the units fit a byte array, the votes are first counted per unit and only those of units with more
 * than one vote (a few percent at a million votes) are sorted.
 */
export function pairwiseUnits(snapshot: JudgmentSnapshot, nameRank: Int32Array): PairwiseOutcome[][] {
  const counted = countedPairRows(snapshot, "revised");
  const subjects = snapshot.subjectIds.length;
  const { a, b, item, outcome } = snapshot;
  const items = snapshot.itemIds.length + 1;
  const unitOf = (row: number) => (((item[row] as number) + 1) * subjects + Math.min(a[row] as number, b[row] as number)) * subjects + Math.max(a[row] as number, b[row] as number);
  // votes per unit, saturating at 2: only units judged more than once are kept
  const seen = items * subjects * subjects <= DENSE_UNITS ? new Uint8Array(items * subjects * subjects) : null;
  if (seen) {
    for (let row = 0; row < snapshot.size; row++) {
      if (counted[row] !== 1) continue;
      const unit = unitOf(row);
      if ((seen[unit] as number) < 2) seen[unit] = (seen[unit] as number) + 1;
    }
  }
  // one number per kept vote: 32-bit when every unit's number fits (sorted by radix), a double beyond
  const keys = items * subjects * subjects * 4 <= 2 ** 32 ? new Uint32Array(snapshot.size) : new Float64Array(snapshot.size);
  let n = 0;
  for (let row = 0; row < snapshot.size; row++) {
    if (counted[row] !== 1) continue;
    const unit = unitOf(row);
    if (seen && seen[unit] !== 2) continue;
    const i = a[row] as number;
    const j = b[row] as number;
    const code = outcome[row] as number;
    // outcome codes: 0 a, 1 b, 2 tie, 3 both_bad; a win is flipped when a's name comes after b's
    const oriented = code >= 2 || (nameRank[i] as number) < (nameRank[j] as number) ? code : 1 - code;
    keys[n++] = unit * 4 + oriented;
  }
  const sorted = keys instanceof Uint32Array ? radixSorted(keys.subarray(0, n)) : keys.subarray(0, n).sort();
  const units: PairwiseOutcome[][] = [];
  for (let start = 0; start < n; ) {
    const unit = Math.floor((sorted[start] as number) / 4);
    let end = start + 1;
    while (end < n && Math.floor((sorted[end] as number) / 4) === unit) end++;
    if (end - start > 1) {
      const outcomes: PairwiseOutcome[] = [];
      for (let k = start; k < end; k++) outcomes.push(PAIRWISE_OUTCOMES[(sorted[k] as number) % 4] as PairwiseOutcome);
      units.push(outcomes);
    }
    start = end;
  }
  return units;
}

/** The values ascending, by two 16-bit counting passes (a comparison sort of a million keys took several times longer). */
function radixSorted(values: Uint32Array): Uint32Array {
  let from: Uint32Array = values;
  let to: Uint32Array = new Uint32Array(values.length);
  const counts = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let k = 0; k < from.length; k++) {
      const digit = ((from[k] as number) >>> shift) & 0xffff;
      counts[digit + 1] = (counts[digit + 1] as number) + 1;
    }
    for (let d = 0; d < 65536; d++) counts[d + 1] = (counts[d + 1] as number) + (counts[d] as number);
    for (let k = 0; k < from.length; k++) {
      const value = from[k] as number;
      const digit = (value >>> shift) & 0xffff;
      to[counts[digit] as number] = value;
      counts[digit] = (counts[digit] as number) + 1;
    }
    [from, to] = [to, from];
  }
  return from;
}

