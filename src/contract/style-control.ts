/** Style control's own pieces of the results (issue 16); results.ts puts them beside the boards. */
import { z } from "zod";

export const styleCoefficient = z.object({
  feature: z.enum(["length", "headers", "lists", "bold"]),
  description: z.string(),
  /** logit change per standard deviation of the normalised difference (a − b)/(a + b + 1) */
  estimate: z.number(),
  standardError: z.number(),
  lower: z.number(),
  upper: z.number(),
  /** the same on the rating scale: 400·β/ln10 */
  points: z.number(),
});

/** A subject whose position by score differs between the raw and the style-controlled board. */
export const rankMove = z.object({ name: z.string(), rawPosition: z.number(), controlledPosition: z.number(), rawRank: z.number(), controlledRank: z.number() });
