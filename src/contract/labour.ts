/** Labour: measured time and pay, the ledger, payouts and sponsor ratings. */
import { z } from "zod";
import { timestamp } from "./common.ts";
import { suppressed } from "./results.ts";

const payFloor = z.object({ currency: z.string(), ratePerHour: z.number() });
export const labourAccount = z.object({
  hours: z.number(),
  owedMinor: z.number(),
  paidMinor: z.number(),
  outstandingMinor: z.number(),
  effectiveHourlyRate: z.number().nullable(),
  unpaidHours: z.number(),
  valueAtFloorMinor: z.number(),
  belowFloorMinor: z.number(),
});
const labourSummary = z.object({
  currency: z.string(),
  ratePerHour: z.number(),
  volunteer: z.boolean(),
  floor: payFloor,
  tasks: z.number(),
  cappedMs: z.number(),
  account: labourAccount,
});

export const payout = z.object({ id: z.string(), participant: z.string(), amountMinor: z.number(), currency: z.string(), note: z.string(), paidAt: timestamp });
export const myLabour = labourSummary.extend({ payouts: z.array(payout.omit({ participant: true })) });

const dimensionSummary = z.object({ mean: z.number(), median: z.number() });
export const sponsorRatings = z.discriminatedUnion("status", [
  z.object({ status: z.literal("suppressed"), k: z.number() }),
  z.object({
    status: z.literal("shown"),
    raters: z.number(),
    dimensions: z.object({ pay: dimensionSummary, communication: dimensionSummary, fairness: dimensionSummary, promptness: dimensionSummary }),
  }),
]);
/**
 * The whole evaluation's labour. Below k workers the totals would be a few people's hours and pay, so for
 * anyone but the organisers and observers they are null and `suppressed` says why.
 */
export const evaluationLabour = labourSummary.extend({
  tasks: z.number().nullable(),
  cappedMs: z.number().nullable(),
  account: labourAccount.nullable(),
  workers: z.number().nullable(),
  suppressed: suppressed.nullable(),
  sponsorRatings,
});

export const payLedger = z.object({
  currency: z.string(),
  ledger: z.array(z.object({ participant: z.string(), tasks: z.number(), hours: z.number(), owedMinor: z.number(), paidMinor: z.number(), outstandingMinor: z.number() })),
});
export const payoutEnvelope = z.object({ payout });
export const sponsorRatingEnvelope = z.object({ rating: z.object({ communication: z.number(), pay: z.number(), fairness: z.number(), promptness: z.number() }) });
