import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError, type ErrorCode } from "../../core/errors.ts";

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
  rate_limited: 429,
  quota_exceeded: 429,
  nothing_to_judge: 409,
  own_demand: 409,
};

/** PostgreSQL's unique_violation: a constraint that says "once" held against a concurrent request. */
const UNIQUE_VIOLATION = "23505";

/** An uploaded file that cannot be read, whichever parser found out: one public code. */
const FILE_CODES = new Set(["invalid_file", "unknown_format", "malformed_file", "unreadable_file"]);

export function statusOf(error: AppError<string>): number {
  return (STATUS as Record<string, number>)[error.code] ?? 400;
}

/** Fastify's and its plugins' own errors, under codes of ours that stay stable across their versions. */
const FRAMEWORK_CODES: Record<string, { status: number; code: string; detail: string; field?: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "unsupported_media_type", detail: "send the body as application/json", field: "content-type" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: "invalid_content_length", detail: "the content-length does not match the body", field: "content-length" },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "body_too_large", detail: "the request body is larger than this route accepts", field: "body" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "invalid_json", detail: "the request body is not valid JSON", field: "body" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: "invalid_json", detail: "the request body is empty but says it is JSON", field: "body" },
  FST_ERR_BAD_URL: { status: 400, code: "invalid_url", detail: "the address is not valid (bad percent-encoding)", field: "url" },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: "url_too_long", detail: "a part of the address is longer than any id", field: "url" },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: "invalid_request", detail: "the request could not be routed" },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: "unsupported_media_type", detail: "the content-type is not valid", field: "content-type" },
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  field?: string;
  /** this occurrence: the request id, also in the x-request-id header and the server's log */
  instance?: string;
  errors?: { field: string; rule: string; message: string }[];
}

function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: `https://counterpublic.org/problems/${code}`, title: code.replace(/_/g, " "), status, code, detail, ...extra };
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (a header block over the limit, a URL
 * over the limit, bytes that are not HTTP): answered as problem+json on the raw socket.
 */
const CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string; reason: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: "headers_too_large", detail: "the request's headers are too large", reason: "Request Header Fields Too Large" },
  HPE_URI_TOO_LONG: { status: 414, code: "url_too_long", detail: "the request's address is too large", reason: "URI Too Long" },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: "request_timeout", detail: "the request was not received in time", reason: "Request Timeout" },
};

export function clientErrorResponse(error: NodeJS.ErrnoException & { bytesParsed?: number }): string {
  const known = (error.code && CLIENT_ERRORS[error.code]) || { status: 400, code: "malformed_request", detail: "the request is not valid HTTP", reason: "Bad Request" };
  const { status, reason } = known;
  const body = JSON.stringify(problem(status, known.code, known.detail));
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Fastify's router errors (bad percent-encoding, an over-long path part), answered as problem+json. */
export function frameworkErrorProblem(error: FastifyError, requestId: string): Problem {
  const known = error.code ? FRAMEWORK_CODES[error.code] : undefined;
  const body = known ? problem(known.status, known.code, known.detail, known.field ? { field: known.field } : {}) : problem(400, "invalid_request", "the request could not be routed");
  return { ...body, instance: `urn:counterpublic:request:${requestId}` };
}

/** Every error leaves as application/problem+json with a stable `code` and, where known, the offending field. */
export function installProblemHandlers(app: FastifyInstance, options: { spaIndex?: string } = {}): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let body: Problem;
    if (error instanceof AppError && FILE_CODES.has(error.code)) {
      body = problem(400, "invalid_file", error.message, { field: error.field ?? "content" });
    } else if (error instanceof AppError) {
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
    } else if (error.code === UNIQUE_VIOLATION) {
      // two requests raced to record the same thing; the database kept one
      body = problem(409, "conflict", "this was recorded already (a concurrent request got there first)");
    } else if (error.code && FRAMEWORK_CODES[error.code]) {
      const known = FRAMEWORK_CODES[error.code] as { status: number; code: string; detail: string; field?: string };
      body = problem(known.status, known.code, known.detail, known.field ? { field: known.field } : {});
    } else if (error instanceof SyntaxError) {
      body = problem(400, "invalid_json", "the request body is not valid JSON", { field: "body" });
    } else if (error.statusCode === 429) {
      body = problem(429, "rate_limited", error.message);
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      body = problem(error.statusCode, "invalid_request", error.message);
    } else {
      request.log.error({ err: error, reqId: request.id }, "unhandled error");
      body = problem(500, "internal_error", `something went wrong on the server; it is logged under request ${request.id}`);
    }
    return reply.status(body.status).type("application/problem+json").send({ ...body, instance: `urn:counterpublic:request:${request.id}` });
  });
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === "GET" && !request.url.startsWith("/api/") && (request.headers.accept ?? "").includes("text/html");
    if (isPage && options.spaIndex) return reply.type("text/html").sendFile(options.spaIndex);
    const body = problem(404, "not_found", `no route ${request.method} ${request.url.split("?")[0]}`, { field: "url" });
    return reply.status(404).type("application/problem+json").send({ ...body, instance: `urn:counterpublic:request:${request.id}` });
  });
}
