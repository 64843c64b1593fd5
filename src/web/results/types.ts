/** The shape of GET /api/evaluations/:id/results, from the contract (src/contract/results.ts). */
import type { z } from "zod";
import type * as results from "../../contract/results.ts";

export type SubjectResult = z.output<typeof results.subjectResult>;
export type RuleResult = z.output<typeof results.ruleResult>;
export type OrderComparison = z.output<typeof results.orderComparison>;
export type ShareRow = z.output<typeof results.shareRow>;
export type Results = z.output<typeof results.results>;
