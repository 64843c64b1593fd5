/** Typed connector failures with a human reason. Messages are redacted of secrets before they exist. */

export const CONNECTOR_ERROR_CODES = [
  "unreachable",
  "auth",
  "unknown_model",
  "rate_limited",
  "timeout",
  "stream_interrupted",
  "bad_response",
  "not_a_model",
  /** the endpoint's address is refused by the server's outbound policy (loopback, private, metadata, …) */
  "forbidden_address",
  /** a GGUF model path outside the operator's models folder, or local models are not enabled */
  "model_path_refused",
] as const;
export type ConnectorErrorCode = (typeof CONNECTOR_ERROR_CODES)[number];

export interface ConnectorErrorDetails {
  /** HTTP status of the failing response, when there was one */
  readonly status?: number;
  /** how many attempts were made before giving up */
  readonly attempts?: number;
  /** for rate limits: how long the server asked us to wait */
  readonly retryAfterMs?: number;
}

export class ConnectorError extends Error {
  override readonly name = "ConnectorError";
  readonly code: ConnectorErrorCode;
  /** a sentence a person can act on, e.g. "the endpoint refused the API key (401)" */
  readonly reason: string;
  readonly details: ConnectorErrorDetails;

  constructor(code: ConnectorErrorCode, reason: string, details: ConnectorErrorDetails = {}) {
    super(`${code}: ${reason}`);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toJSON(): { code: ConnectorErrorCode; reason: string } & ConnectorErrorDetails {
    return { code: this.code, reason: this.reason, ...this.details };
  }
}

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

/** Shapes that look like credentials whatever the key is: OpenAI-style keys and bearer tokens. */
const KEY_LIKE_PATTERNS: readonly RegExp[] = [/\bsk-[A-Za-z0-9_*-]{6,}/g, /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi];

/**
 * Removes every known secret (exact occurrences, and its URL-encoded form) and anything shaped like
 * an API key from a text that may be shown, logged or stored. Servers echo keys in error messages.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) redacted = redacted.split(form).join("[redacted]");
  }
  for (const pattern of KEY_LIKE_PATTERNS) redacted = redacted.replace(pattern, "[redacted]");
  return redacted;
}

/** Server text inside a reason: redacted, on one line, and short. */
export function quoteServerText(text: string, secrets: readonly (string | undefined)[], maxLength = 240): string {
  const oneLine = redactSecrets(text, secrets).replace(/\s+/g, " ").trim();
  return oneLine.length > maxLength ? `${oneLine.slice(0, maxLength - 1)}…` : oneLine;
}
