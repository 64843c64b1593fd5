/** Shapes every area's responses share. The contract imports only zod and src/core, so the web app can import it. */
import { z } from "zod";

/**
 * An instant: the server hands over a Date (or an ISO string it already made) and the client receives the ISO string.
 * A codec rather than a transform, so the OpenAPI document can still say "string".
 */
export const timestamp = z.codec(z.union([z.date(), z.string()]), z.string(), {
  decode: (value) => (typeof value === "string" ? value : value.toISOString()),
  encode: (value) => value,
});

/** JSON the server stores and hands back as it is (scenario, context, endpoint settings). */
export const jsonObject = z.record(z.string(), z.unknown());

export const countedReason = z.object({ reason: z.string(), count: z.number() });
