/**
 * The shapes the API answers with, taken from the contract (src/contract) so the web app follows the server:
 * every `api.get<T>` / `api.post<T>` / `api.put<T>` in src/web names a type from here (or from results/types.ts),
 * and test/contract/web-types.test.ts keeps it that way. Change a schema and `npm run typecheck` shows what to follow.
 */
import type { z } from "zod";
import type * as card from "../../contract/card.ts";
import type * as deliberation from "../../contract/deliberation.ts";
import type * as dissent from "../../contract/dissent.ts";
import type * as evaluations from "../../contract/evaluations.ts";
import type * as exports from "../../contract/exports.ts";
import type * as governance from "../../contract/governance.ts";
import type * as judging from "../../contract/judging.ts";
import type * as labour from "../../contract/labour.ts";
import type * as participation from "../../contract/participation.ts";
import type { judgmentSchema } from "../../contract/requests.ts";
import { charter as charterShape } from "../../contract/evaluations.ts";

export { AGGREGATION_RULES, DECISION_METHODS } from "../../core/charter.ts";
export { CONSENT_SCOPES, EXPORT_SCOPES, type ConsentScope } from "../../core/consent.ts";
export { EVALUATION_STATUSES, PHASES, SUBJECT_KINDS, type EvaluationStatus as Status, type Phase } from "../../core/evaluation.ts";
export { BALLOT_CHOICES, PROPOSAL_KINDS, type BallotChoice, type ProposalKind } from "../../core/governance.ts";
export { CONTEST_TARGETS, PAIRWISE_OUTCOMES } from "../../core/judgment.ts";
export { DEMAND_PROGRESS } from "../../core/dissent.ts";
export { STATEMENT_VOTES } from "../../contract/deliberation.ts";
export { EXPORT_FORMATS, IMPORT_FORMATS } from "../../contract/exports.ts";
export { ARTIFACT_KINDS, INVITATION_ROLES, SUBJECT_CONTEXT_FIELDS } from "../../contract/requests.ts";
export { ASSIGNMENT_MODES } from "../../contract/judging.ts";
export type { PairwiseOutcome } from "../../core/judgment.ts";
/** Who may propose items, and the text limits, as a charter sets them. */
export const PARTICIPANT_ITEMS = charterShape.shape.participantItems.options;
export const TEXT_LIMITS = charterShape.shape.textLimits.keyof().options;
export const IDENTITY_ASSURANCES = charterShape.shape.identityAssurance.unwrap().options;
export const BOARDS = charterShape.shape.headlineBoard.unwrap().options;

// Evaluations: GET /api/evaluations, /api/evaluations/:id, its subjects, items, invitations and progress.
export type RubricDimension = z.output<typeof evaluations.rubricDimension>;
export type Charter = z.output<typeof evaluations.charter>;
export type Evaluation = z.output<typeof evaluations.evaluation>;
export type Counts = z.output<typeof evaluations.evaluationCounts>;
export type EvaluationList = z.output<typeof evaluations.evaluationList>;
export type CreatedEvaluation = z.output<typeof evaluations.createdEvaluation>;
export type EvaluationDetail = z.output<typeof evaluations.evaluationDetail>;
export type Subject = z.output<typeof evaluations.subject>;
export type SubjectList = z.output<typeof evaluations.subjectList>;
export type Item = z.output<typeof evaluations.item>;
export type ItemList = z.output<typeof evaluations.itemList>;
export type InvitationCreated = z.output<typeof evaluations.invitationCreated>;
export type InvitationView = z.output<typeof evaluations.invitationView>;
export type InvitationList = z.output<typeof evaluations.invitationList>;
export type Progress = z.output<typeof evaluations.progress>;

// Participation: joining, /me and consent.
export type Joined = z.output<typeof participation.joined>;
export type ConsentEvent = z.output<typeof participation.consentEvent>;
export type Me = z.output<typeof participation.me>;

// Judging: assignments, what a judgment reveals, my judgments, a subject's connector.
export type Assignment = z.output<typeof judging.assignment>;
/** What a participant sends: a vote, an abstention or a contest, tagged by kind. */
export type Judgment = z.input<typeof judgmentSchema>;
/** A judgment's body as the server hands it back. */
export type JudgmentBody = z.output<typeof judging.judgmentBody>;
export type Revealed = z.output<typeof judging.revealed>;
export type CastResult = z.output<typeof judging.castResult>;
export type MyJudgments = z.output<typeof judging.myJudgments>;
/** One version of one of my judgments, as GET /api/evaluations/:id/me/judgments answers it. */
export type MyJudgment = MyJudgments["judgments"][number];
export type EndpointEnvelope = z.output<typeof judging.endpointEnvelope>;
/** The data of each event a live battle streams, by event name. */
export type LiveBattleEvents = { [E in keyof typeof judging.liveBattleEvents]: z.output<(typeof judging.liveBattleEvents)[E]> };

// Deliberation: threads, statements, the opinion map.
export type Thread = z.output<typeof deliberation.thread>;
export type Post = Thread["posts"][number];
export type StatementList = z.output<typeof deliberation.statementList>;
export type Statement = StatementList["statements"][number];
export type OpinionMap = z.output<typeof deliberation.opinionMap>;

// Governance and dissent: proposals, minority reports, demands.
export type ProposalList = z.output<typeof governance.proposalList>;
export type Proposal = z.output<typeof governance.proposal>;
export type MinorityReportList = z.output<typeof dissent.minorityReportList>;
export type MinorityReport = z.output<typeof dissent.minorityReport>;
export type DemandList = z.output<typeof dissent.demandList>;
/** A demand as GET /api/evaluations/:id/demands answers it. */
export type Demand = z.output<typeof dissent.demand>;

// Labour, exports, imports and the card.
export type EvaluationLabour = z.output<typeof labour.evaluationLabour>;
export type MyLabour = z.output<typeof labour.myLabour>;
export type ExportResult = z.output<typeof exports.exportResult>;
export type ExportList = z.output<typeof exports.exportList>;
export type MyExports = z.output<typeof exports.myExports>;
export type ImportSummary = z.output<typeof exports.importSummary>;
/** GET /api/evaluations/:id/card as JSON (the Markdown form is text, fetched as a link). */
export type CardEnvelope = Exclude<z.output<typeof card.cardResponse>, string>;
export type EvaluationCard = z.output<typeof card.evaluationCard>;
