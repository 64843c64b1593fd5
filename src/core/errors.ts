/** Stable error codes: the API's problem+json `code` and the CLI's messages come from here. */
export const ERROR_STATUS = {
  validation_failed: 400,
  text_too_long: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  consent_required: 403,
  scope_not_offered: 400,
  scope_not_granted: 400,
  already_judged: 409,
  already_member: 409,
  evaluation_not_open: 409,
  wrong_phase: 409,
  invalid_transition: 409,
  conflict: 409,
  statement_not_votable: 409,
  nothing_to_assign: 404,
  export_refused: 403,
  invitation_invalid: 410,
  already_signed: 409,
  deadline_passed: 409,
  proposal_closed: 409,
  proposal_still_open: 409,
  already_answered: 409,
  pay_below_floor: 400,
  format_unavailable: 400,
  no_judgments: 422,
  single_subject: 422,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.field = field;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
