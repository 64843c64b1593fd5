/**
 * One error family. Every refusal the product makes is an AppError with a stable `code` (the API's
 * problem+json `code`, the CLI's one-line message) and, where known, the field it is about. Core knows no
 * HTTP: platform/http maps codes to statuses.
 */
export const ERROR_CODES = [
  "validation_failed",
  "text_too_long",
  "unauthenticated",
  "forbidden",
  "not_found",
  "consent_required",
  "scope_not_offered",
  "scope_not_granted",
  "already_judged",
  "already_member",
  "evaluation_not_open",
  "wrong_phase",
  "invalid_transition",
  "conflict",
  "statement_not_votable",
  "nothing_to_assign",
  "export_refused",
  "invitation_invalid",
  "already_signed",
  "deadline_passed",
  "proposal_closed",
  "proposal_still_open",
  "already_answered",
  "pay_below_floor",
  "format_unavailable",
  "no_judgments",
  "single_subject",
  "rate_limited",
  "quota_exceeded",
  "nothing_to_judge",
  "own_demand",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The base of every error a person can act on; anything else is a bug. */
export class AppError<Code extends string = ErrorCode> extends Error {
  readonly code: Code;
  readonly field: string | undefined;
  /** the rule the field broke, when there is a name for it (e.g. `forbidden_address`) */
  readonly rule: string | undefined;
  constructor(code: Code, message: string, field?: string, rule?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.field = field;
    this.rule = rule;
  }
}
