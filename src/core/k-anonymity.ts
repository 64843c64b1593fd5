/**
 * Small-group suppression: no published figure may describe fewer than k people.
 *
 * Primary suppression: every group with fewer than k members (0 included) is hidden.
 *
 * Complementary suppression (against differencing): when the groups form a PARTITION whose total is
 * published, a reader can subtract the visible groups from the total. So, while the hidden groups
 *   (a) are exactly one group, or
 *   (b) hold together between 1 and k−1 members,
 * the smallest visible group (ties broken by key, for determinism) is hidden too. Rule (a) alone is what
 * the charter promises; rule (b) also stops two tiny groups from being recovered as one tiny sum.
 * If the total itself is below k, everything is hidden, the total included.
 *
 * Not covered here: differencing ACROSS releases (e.g. yesterday's and today's counts, or two slices that
 * overlap). Callers that publish the same partition repeatedly gate the releases with `publishableReleases`
 * (below) as well.
 */

export interface CountedGroup {
  readonly key: string;
  readonly count: number;
}

export type SuppressionReason = "below_k" | "complementary";

export interface SuppressionResult<G extends CountedGroup> {
  /** groups that may be shown, in input order */
  readonly visible: G[];
  /** hidden groups with why they were hidden, in input order */
  readonly suppressed: { readonly key: string; readonly reason: SuppressionReason }[];
  /** the partition's total, or null when it must be hidden too (total below k, or not a partition) */
  readonly total: number | null;
}

export interface SuppressionOptions {
  /** true (default): groups are disjoint and their total is published, so protect against differencing */
  readonly partition?: boolean;
}

export function assertValidK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
}

function assertValidCounts(groups: readonly CountedGroup[]): void {
  const keys = new Set<string>();
  for (const group of groups) {
    if (!Number.isInteger(group.count) || group.count < 0) throw new RangeError(`group ${group.key} has an invalid count ${group.count}`);
    if (keys.has(group.key)) throw new RangeError(`group key ${group.key} appears twice`);
    keys.add(group.key);
  }
}

function bySizeThenKey(a: CountedGroup, b: CountedGroup): number {
  return a.count - b.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function needsComplement(hiddenCount: number, hiddenMembers: number, k: number): boolean {
  if (hiddenCount === 0) return false;
  return hiddenCount === 1 || (hiddenMembers > 0 && hiddenMembers < k);
}

/** Hides every group smaller than k and, for a published partition, enough others to stop differencing. */
export function suppressSmallGroups<G extends CountedGroup>(groups: readonly G[], k: number, options: SuppressionOptions = {}): SuppressionResult<G> {
  assertValidK(k);
  assertValidCounts(groups);
  const partition = options.partition ?? true;
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  const reasons = new Map<string, SuppressionReason>();
  for (const group of groups) if (group.count < k) reasons.set(group.key, "below_k");

  if (partition && total < k) {
    for (const group of groups) if (!reasons.has(group.key)) reasons.set(group.key, "complementary");
  } else if (partition) {
    const candidates = groups.filter((group) => !reasons.has(group.key)).sort(bySizeThenKey);
    let hiddenMembers = groups.filter((group) => reasons.has(group.key)).reduce((sum, group) => sum + group.count, 0);
    for (const next of candidates) {
      if (!needsComplement(reasons.size, hiddenMembers, k)) break;
      reasons.set(next.key, "complementary");
      hiddenMembers += next.count;
    }
  }

  return {
    visible: groups.filter((group) => !reasons.has(group.key)),
    suppressed: groups.filter((group) => reasons.has(group.key)).map((group) => ({ key: group.key, reason: reasons.get(group.key) ?? "below_k" })),
    total: partition && total >= k ? total : null,
  };
}

/** Whether a single figure computed from `count` people may be shown. */
export function isPublishable(count: number, k: number): boolean {
  return suppressSmallGroups([{ key: "figure", count }], k, { partition: false }).visible.length === 1;
}

/** Why a public figure is missing: never a number, only the threshold it did not reach. */
export interface SuppressionMarker {
  readonly reason: "fewer_than_k_contributors" | "complementary_suppression";
  readonly k: number;
}

export function suppressionMarker(k: number, reason: SuppressionReason = "below_k"): SuppressionMarker {
  return { reason: reason === "below_k" ? "fewer_than_k_contributors" : "complementary_suppression", k };
}

/**
 * THE gate of every public output: each group counts the DISTINCT contributors (people, not judgments) behind
 * it; a group shown keeps its value, a group hidden becomes its marker (no count). Built on `suppressSmallGroups`,
 * so a published partition also gets complementary suppression. A single figure is a group of one
 * (`partition: false`).
 */
export function gateByContributors<G extends CountedGroup>(
  groups: readonly G[],
  k: number,
  options: SuppressionOptions = {},
): { shown: Map<string, G>; hidden: Map<string, SuppressionMarker>; total: number | null } {
  const result = suppressSmallGroups(groups, k, options);
  return {
    shown: new Map(result.visible.map((group) => [group.key, group])),
    hidden: new Map(result.suppressed.map((s) => [s.key, suppressionMarker(k, s.reason)])),
    total: result.total,
  };
}

/**
 * A running total over people who keep arriving (labour: hours and pay as workers join) is published over whole
 * blocks of k of them, in the order they arrived: over the first ⌊n/k⌋·k. Publishing it over all n let anyone
 * read a newcomer's own figures as the difference between the totals before and after they joined; between
 * two published totals now at least k newcomers arrive together. 0 means nothing can be published.
 */
export function releasedInBlocks(arrived: number, k: number): number {
  assertValidK(k);
  return Math.floor(Math.max(0, arrived) / k) * k;
}

/** One figure from `contributors` distinct people: its marker when it must be hidden, else null. */
export function contributorMarker(contributors: number, k: number): SuppressionMarker | null {
  return gateByContributors([{ key: "figure", count: contributors }], k, { partition: false }).hidden.get("figure") ?? null;
}

export interface CountedCell {
  readonly key: string;
  /** the figure that would be published (e.g. judgments) */
  readonly value: number;
  /** distinct people behind it */
  readonly people: number;
}

/**
 * A row of cells that partition a published whole (e.g. one subject's judgments into ties, abstentions,
 * contests, …): each cell keeps its value only when enough distinct people are behind it, with complementary
 * suppression (through `gateByContributors`) so a hidden cell cannot be recovered from the row's total.
 * Returns each cell's value or null, the row total or null, and the marker when anything was hidden.
 */
export function gateCells(cells: readonly CountedCell[], k: number): { values: Map<string, number | null>; total: number | null; suppressed: SuppressionMarker | null } {
  const gate = gateByContributors(cells.map((cell) => ({ key: cell.key, count: cell.people })), k);
  const values = new Map(cells.map((cell) => [cell.key, gate.shown.has(cell.key) ? cell.value : null]));
  const total = gate.total === null ? null : cells.reduce((sum, cell) => sum + cell.value, 0);
  return { values, total, suppressed: gate.hidden.size > 0 ? suppressionMarker(k) : null };
}

/**
 * Differencing ACROSS releases of the same partition (e.g. the opinion map's group sizes, update after
 * update): if two published releases differ by fewer than k people in some group, subtracting one from the
 * other singles those people out (one newcomer between two updates: the one group that grew by 1 is theirs).
 * So a release's counts are published only when, against EVERY release published before it, every group's
 * count is unchanged or changed by at least k (a group absent from one release counts 0 there): comparing with
 * the last published one alone let (20, 20) → (30, 31) → (20, 21) through, and the first and third differ by
 * one newcomer. Otherwise its counts are withheld. The first release is published (it is gated on its own by
 * `suppressSmallGroups`). Decisions are made in release order and never revised, so someone who watched every
 * release as it came saw no more than this. (Counts changed by k or more can still be differenced, but only
 * down to k or more people.)
 */
export function publishableReleases(releases: readonly (readonly CountedGroup[])[], k: number): boolean[] {
  assertValidK(k);
  const published: ReadonlyMap<string, number>[] = [];
  const farEnoughFrom = (counts: ReadonlyMap<string, number>, earlier: ReadonlyMap<string, number>) =>
    [...new Set([...counts.keys(), ...earlier.keys()])].every((key) => {
      const change = Math.abs((counts.get(key) ?? 0) - (earlier.get(key) ?? 0));
      return change === 0 || change >= k;
    });
  return releases.map((release) => {
    assertValidCounts(release);
    const counts = new Map(release.map((group) => [group.key, group.count]));
    const open = published.every((earlier) => farEnoughFrom(counts, earlier));
    if (open) published.push(counts);
    return open;
  });
}
