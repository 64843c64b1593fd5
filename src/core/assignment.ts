/** Choosing the next battle: favour under-compared pairs, never pit a subject against itself. */

export interface CandidateResponse {
  readonly responseId: string;
  readonly subjectId: string;
}

export interface CandidateItem {
  readonly itemId: string;
  readonly responses: readonly CandidateResponse[];
}

export interface Battle {
  readonly itemId: string;
  readonly left: CandidateResponse;
  readonly right: CandidateResponse;
}

export function pairKey(subjectX: string, subjectY: string): string {
  return subjectX < subjectY ? `${subjectX}|${subjectY}` : `${subjectY}|${subjectX}`;
}

/**
 * Weighted draw over every (item, pair of distinct subjects): weight 1 / (1 + times the subject pair was
 * compared), so rarely compared pairs come first while nothing is starved. `seen` holds
 * `${itemId}|${pairKey}` entries the participant has already judged; they are skipped.
 * `random` returns uniform numbers in [0, 1) (the caller owns the randomness).
 */
export function chooseBattle(
  items: readonly CandidateItem[],
  pairCounts: ReadonlyMap<string, number>,
  seen: ReadonlySet<string>,
  random: () => number,
): Battle | null {
  const options: { battle: Battle; weight: number }[] = [];
  let total = 0;
  for (const item of items) {
    const rs = item.responses;
    for (let i = 0; i < rs.length; i++) {
      for (let j = i + 1; j < rs.length; j++) {
        const x = rs[i];
        const y = rs[j];
        if (!x || !y || x.subjectId === y.subjectId) continue;
        const key = pairKey(x.subjectId, y.subjectId);
        if (seen.has(`${item.itemId}|${key}`)) continue;
        const weight = 1 / (1 + (pairCounts.get(key) ?? 0));
        total += weight;
        options.push({ battle: { itemId: item.itemId, left: x, right: y }, weight });
      }
    }
  }
  if (options.length === 0) return null;
  let target = random() * total;
  for (const option of options) {
    target -= option.weight;
    if (target < 0) return orderSides(option.battle, random);
  }
  const last = options[options.length - 1];
  return last ? orderSides(last.battle, random) : null;
}

/** Which side a subject appears on is random, so position carries no information. */
function orderSides(battle: Battle, random: () => number): Battle {
  return random() < 0.5 ? battle : { itemId: battle.itemId, left: battle.right, right: battle.left };
}
