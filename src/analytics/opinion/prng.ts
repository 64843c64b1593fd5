/** The opinion kernels take randomness as a plain function; it is the shared seeded generator (../rng.ts). */
import { createRng } from "../rng.ts";

export type Random = () => number;

export function seededRandom(seed: number): Random {
  const rng = createRng(seed);
  return () => rng.next();
}
