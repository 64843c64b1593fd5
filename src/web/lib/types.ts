/** The shapes the API answers with, taken from the contract (src/contract) so the web app follows the server. */
import type { z } from "zod";
import type * as evaluations from "../../contract/evaluations.ts";
import type * as judging from "../../contract/judging.ts";
import type * as participation from "../../contract/participation.ts";
import type { judgmentSchema } from "../../contract/requests.ts";

export { AGGREGATION_RULES, DECISION_METHODS } from "../../core/charter.ts";
export { CONSENT_SCOPES, type ConsentScope } from "../../core/consent.ts";
export { PHASES, SUBJECT_KINDS, type EvaluationStatus as Status, type Phase } from "../../core/evaluation.ts";

export type RubricDimension = z.output<typeof evaluations.rubricDimension>;
export type Charter = z.output<typeof evaluations.charter>;
export type Evaluation = z.output<typeof evaluations.evaluation>;
export type Counts = z.output<typeof evaluations.evaluationCounts>;
export type EvaluationDetail = z.output<typeof evaluations.evaluationDetail>;

export type ConsentEvent = z.output<typeof participation.consentEvent>;
export type Me = z.output<typeof participation.me>;

export type Assignment = z.output<typeof judging.assignment>;
/** What a participant sends: a vote, an abstention or a contest, tagged by kind. */
export type Judgment = z.input<typeof judgmentSchema>;
export type Revealed = z.output<typeof judging.revealed>;
export type CastResult = z.output<typeof judging.castResult>;
