/** Planted voters for the bridging, anomaly and manipulation tests: Bradley–Terry voters with known strengths. */
import { createRng, type Rng } from "../../src/analytics/rng.ts";
import type { IndividualVotes } from "../../src/analytics/results/individual-votes.ts";

export interface PlantedVoter {
  readonly key: string;
  /** log10 strengths per subject; null = votes at random (a fair coin) */
  readonly strengths: readonly number[] | null;
}

/** Each voter judges every pair `repeats` times, voters interleaved round by round (as people vote over time). */
export function plantedVotes(voters: readonly PlantedVoter[], subjectCount: number, repeats: number, seed: number): IndividualVotes {
  const rng: Rng = createRng(seed);
  const who: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const scoreA: number[] = [];
  for (let round = 0; round < repeats; round++) {
    for (let i = 0; i < subjectCount; i++) {
      for (let j = i + 1; j < subjectCount; j++) {
        voters.forEach((voter, v) => {
          const flip = rng.next() < 0.5;
          const [x, y] = flip ? [j, i] : [i, j];
          const p = voter.strengths ? 1 / (1 + Math.pow(10, (voter.strengths[y] ?? 0) - (voter.strengths[x] ?? 0))) : 0.5;
          who.push(v);
          a.push(x);
          b.push(y);
          scoreA.push(rng.next() < p ? 1 : 0);
        });
      }
    }
  }
  return { participants: voters.map((v) => v.key), who: Int32Array.from(who), a: Int32Array.from(a), b: Int32Array.from(b), scoreA: Float64Array.from(scoreA) };
}
