/** Dissent: abstentions and contests counted, minority reports, demands with their deadlines and milestones. */
import { z } from "zod";
import { DEMAND_PROGRESS } from "../core/dissent.ts";
import { timestamp } from "./common.ts";

const hidden = z.object({ reason: z.enum(["fewer_than_k_contributors", "complementary_suppression"]), k: z.number() });
/** null: fewer than k distinct people behind the figure */
const dissentCount = z.object({ key: z.string(), label: z.string(), abstentions: z.number().nullable(), contests: z.number().nullable(), suppressed: hidden.optional() });
export const dissentCounts = z.object({
  kAnonymity: z.number(),
  suppressed: hidden.extend({ note: z.string() }).optional(),
  byItem: z.array(dissentCount),
  bySubject: z.array(dissentCount),
});

export const minorityReport = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  createdAt: timestamp,
  signers: z.number(),
  recordedSigners: z.number().optional(),
  /** acts of people below the charter's identity assurance are recorded but not counted */
  counted: z.boolean().optional(),
  notCountedReason: z.string().nullable().optional(),
  explanation: z.string().nullable().optional(),
  status: z.enum(["gathering", "published"]),
  needed: z.number(),
  publishedAt: timestamp.nullable(),
});
export const minorityReportList = z.object({ reports: z.array(minorityReport) });
export const minorityReportEnvelope = z.object({ report: minorityReport });

/** Where a demand stands against its deadline. */
export const demandStatus = z.discriminatedUnion("status", [
  z.object({ status: z.literal("gathering"), endorsers: z.number(), needed: z.number() }),
  z.object({ status: z.literal("owed"), owedSince: timestamp, deadline: timestamp }),
  z.object({ status: z.literal("overdue"), owedSince: timestamp, deadline: timestamp }),
  z.object({ status: z.literal("answered"), answeredAt: timestamp, late: z.boolean() }),
]);
export const milestoneSummary = z.object({ total: z.number(), done: z.number(), overdue: z.array(z.string()) });
export const demand = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  createdAt: timestamp,
  endorsers: z.number(),
  recordedEndorsers: z.number().optional(),
  /** acts of people below the charter's identity assurance are recorded but not counted */
  counted: z.boolean().optional(),
  notCountedReason: z.string().nullable().optional(),
  explanation: z.string().nullable().optional(),
  needed: z.number(),
  /** the reader wrote this demand (lists only): writing it counted as their endorsement */
  mine: z.boolean().optional(),
  status: demandStatus,
  answer: z.string().nullable(),
  answeredAt: timestamp.nullable(),
  progress: z.enum(DEMAND_PROGRESS),
  progressReason: z.string().nullable(),
  milestones: z.array(z.object({ id: z.string(), title: z.string(), dueAt: timestamp.nullable(), doneAt: timestamp.nullable() })),
  milestoneSummary,
});
export const demandList = z.object({ demands: z.array(demand), overdue: z.number() });
export const demandEnvelope = z.object({ demand });
