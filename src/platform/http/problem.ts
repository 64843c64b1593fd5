import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, type ErrorCode } from "../../core/errors.ts";
import { ImportError } from "../../connectors/importers/common.ts";

/** The HTTP status of each core refusal; codes of other error families (file formats, kernels) are 400. */
const STATUS: Record<ErrorCode, number> = {
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
  quota_exceeded: 429,
};

export function statusOf(error: AppError<string>): number {
  return (STATUS as Record<string, number>)[error.code] ?? 400;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  field?: string;
  errors?: { field: string; rule: string; message: string }[];
}

function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `https://counterpublic.org/problems/${code}`, title: code.replace(/_/g, " "), status, code, detail, ...extra };
}

/** Every error leaves as application/problem+json with a stable `code` and, where known, the offending field. */
export function installProblemHandlers(app: FastifyInstance, options: { spaIndex?: string } = {}): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let body: Problem;
    if (error instanceof AppError) {
      const extra: Partial<Problem> = error.field ? { field: error.field } : {};
      if (error.field && error.rule) extra.errors = [{ field: error.field, rule: error.rule, message: error.message }];
      body = problem(statusOf(error), error.code, error.message, extra);
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({
        field: [error.validationContext ?? "body", ...String(v.instancePath ?? "").split("/").filter(Boolean)].join("."),
        rule: String(v.keyword ?? "invalid"),
        message: v.message ?? "invalid",
      }));
      const first = errors[0];
      body = problem(400, "validation_failed", first ? `${first.field}: ${first.message}` : "invalid request", { field: first?.field ?? "body", errors });
    } else if (error instanceof ImportError || error.name === "FormatError" || error.name === "OutputsFormatError") {
      body = problem(400, "invalid_file", error.message, { field: "content" });
    } else if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" || error instanceof SyntaxError) {
      body = problem(400, "invalid_json", "the request body is not valid JSON", { field: "body" });
    } else if (error.statusCode === 429) {
      body = problem(429, "rate_limited", error.message);
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      body = problem(error.statusCode, (error.code ?? "bad_request").toLowerCase(), error.message);
    } else {
      request.log.error({ err: error }, "unhandled error");
      body = problem(500, "internal_error", "something went wrong on the server; it has been logged");
    }
    return reply.status(body.status).type("application/problem+json").send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === "GET" && !request.url.startsWith("/api/") && (request.headers.accept ?? "").includes("text/html");
    if (isPage && options.spaIndex) return reply.type("text/html").sendFile(options.spaIndex);
    return reply.status(404).type("application/problem+json").send(problem(404, "not_found", `no route ${request.method} ${request.url.split("?")[0]}`));
  });
}
