/** Maps what the `openai` SDK (or the network under it) throws to a typed, redacted ConnectorError. */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import { ConnectorError, quoteServerText } from "./errors.ts";
import { isForbiddenAddressError } from "./outbound-guard.ts";
import { StallTimeoutError } from "./timing.ts";

export interface ErrorContext {
  readonly secrets: readonly (string | undefined)[];
  /** the redacted base URL, for reasons such as "nothing answers at …" */
  readonly endpoint: string;
  readonly model: string;
  /** `request`: before the response headers; `stream`: while reading the body */
  readonly phase: "request" | "stream";
  readonly attempts: number;
  readonly requestTimeoutMs: number;
}

export function isRetryableStatus(error: unknown): error is APIError<number, Headers> {
  return error instanceof APIError && typeof error.status === "number" && (error.status === 429 || error.status >= 500);
}

export function toConnectorError(error: unknown, context: ErrorContext): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof StallTimeoutError) {
    return new ConnectorError("timeout", `the stream stalled: no data for ${error.idleMs} ms`, { attempts: context.attempts });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ConnectorError("timeout", `no response from ${context.endpoint} within ${context.requestTimeoutMs} ms`, { attempts: context.attempts });
  }
  if (isForbiddenAddressError(error)) {
    return new ConnectorError("forbidden_address", `the server's outbound policy refuses ${context.endpoint}: ${(findCause(error) ?? error).message}`, { attempts: context.attempts });
  }
  if (error instanceof APIConnectionError) return connectionError(error, context);
  if (error instanceof APIError) return statusError(error, context);
  if (error instanceof SyntaxError) {
    return new ConnectorError("bad_response", `the endpoint sent data that is not valid JSON: ${quoteServerText(error.message, context.secrets)}`);
  }
  const text = error instanceof Error ? error.message : String(error);
  return context.phase === "stream"
    ? new ConnectorError("stream_interrupted", `the stream broke off: ${quoteServerText(text, context.secrets)}`)
    : new ConnectorError("bad_response", `unexpected failure calling ${context.endpoint}: ${quoteServerText(text, context.secrets)}`);
}

function connectionError(error: APIConnectionError, context: ErrorContext): ConnectorError {
  const cause = networkCauseCode(error);
  if (context.phase === "stream") {
    return new ConnectorError("stream_interrupted", `the connection broke while streaming${cause ? ` (${cause})` : ""}`);
  }
  const why = cause === "ECONNREFUSED" ? "connection refused" : cause === "ENOTFOUND" ? "host not found" : (cause ?? "connection failed");
  return new ConnectorError("unreachable", `nothing answers at ${context.endpoint}: ${why}`, { attempts: context.attempts });
}

function findCause(error: unknown): Error | undefined {
  for (let current: unknown = error, depth = 0; depth < 6 && current instanceof Error; depth += 1, current = current.cause) {
    if (current.name === "ForbiddenAddressError") return current;
  }
  return undefined;
}

/** The system error code (ECONNREFUSED, ENOTFOUND, …) somewhere down the cause chain. */
function networkCauseCode(error: Error): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}

function statusError(error: APIError, context: ErrorContext): ConnectorError {
  const said = quoteServerText(serverMessage(error), context.secrets);
  const status = error.status;
  const details = { attempts: context.attempts, ...(status === undefined ? {} : { status }) };
  if (status === undefined) return new ConnectorError("stream_interrupted", `the endpoint reported an error mid-stream: ${said}`, details);
  if (status === 401 || status === 403) {
    return new ConnectorError("auth", `the endpoint refused the credentials (${status}): ${said}`, details);
  }
  if (status === 404 || error.code === "model_not_found") {
    return error.code === "model_not_found" || /model/i.test(said)
      ? new ConnectorError("unknown_model", `the endpoint does not serve the model "${context.model}" (${status}): ${said}`, details)
      : new ConnectorError("unreachable", `no chat-completions API at ${context.endpoint} (${status}); check the base URL (often ends in /v1)`, details);
  }
  if (status === 429) return new ConnectorError("rate_limited", `the endpoint kept rate-limiting after ${context.attempts} attempt(s): ${said}`, details);
  if (status === 504) return new ConnectorError("timeout", `the endpoint's gateway timed out (504) after ${context.attempts} attempt(s)`, details);
  if (status >= 500) return new ConnectorError("unreachable", `the endpoint failed (${status}) after ${context.attempts} attempt(s): ${said}`, details);
  return new ConnectorError("bad_response", `the endpoint rejected the request (${status}): ${said}`, details);
}

/** The server's own words: `error.message` of an OpenAI-style body, a bare string body, or the SDK text. */
function serverMessage(error: APIError): string {
  const body: unknown = error.error;
  if (typeof body === "string") return body;
  if (body && typeof body === "object" && "message" in body && typeof body.message === "string") return body.message;
  return error.message.replace(/^\d{3}\s+/, "");
}
