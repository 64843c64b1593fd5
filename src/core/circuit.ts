/**
 * A live subject's circuit breaker. Closed: calls go through. After `failureThreshold` consecutive
 * failures (or one failure that no retry will cure: a refused address, refused credentials, an unknown
 * model) it opens for a cool-down that doubles with each opening, up to `maxCooldownMs`. When the
 * cool-down is over it is half-open: exactly one call (a probe) is let through; its success closes the
 * circuit, its failure opens it again for longer. A probe that never reports back expires after
 * `probeTimeoutMs`. Time is an argument: this is pure.
 */

export interface CircuitPolicy {
  readonly failureThreshold: number;
  readonly baseCooldownMs: number;
  readonly maxCooldownMs: number;
  readonly probeTimeoutMs: number;
}

export const DEFAULT_CIRCUIT_POLICY: CircuitPolicy = { failureThreshold: 3, baseCooldownMs: 30_000, maxCooldownMs: 30 * 60_000, probeTimeoutMs: 5 * 60_000 };

export interface CircuitState {
  readonly consecutiveFailures: number;
  /** how many times it opened since it was last closed by a success; drives the growing cool-down */
  readonly openings: number;
  /** null: closed */
  readonly openUntil: Date | null;
  /** a half-open probe is running until then */
  readonly probeUntil: Date | null;
}

export const CLOSED: CircuitState = { consecutiveFailures: 0, openings: 0, openUntil: null, probeUntil: null };

export type CircuitPhase = "closed" | "open" | "half_open";

export function phaseOf(state: CircuitState, now: Date): CircuitPhase {
  if (state.openUntil === null) return "closed";
  return now.getTime() < state.openUntil.getTime() ? "open" : "half_open";
}

/** Whether a call may go through now without claiming anything (closed), or only as the probe. */
export function admission(state: CircuitState, now: Date): "go" | "probe" | "wait" {
  const phase = phaseOf(state, now);
  if (phase === "closed") return "go";
  if (phase === "open") return "wait";
  return state.probeUntil !== null && now.getTime() < state.probeUntil.getTime() ? "wait" : "probe";
}

/** The state once this caller holds the probe. */
export function claimProbe(state: CircuitState, now: Date, policy: CircuitPolicy = DEFAULT_CIRCUIT_POLICY): CircuitState {
  return { ...state, probeUntil: new Date(now.getTime() + policy.probeTimeoutMs) };
}

export function cooldownMs(openings: number, policy: CircuitPolicy = DEFAULT_CIRCUIT_POLICY): number {
  return Math.min(policy.maxCooldownMs, policy.baseCooldownMs * 2 ** Math.max(0, openings - 1));
}

/** Failures no retry cures open the circuit at once. */
const PERSISTENT_FAILURES = new Set(["forbidden_address", "model_path_refused", "auth", "unknown_model"]);

/**
 * After a failed call. `retryAfterMs`: the endpoint asked to wait at least this long (a rate limit).
 */
export function afterFailure(state: CircuitState, now: Date, failure: { kind: string; retryAfterMs?: number | undefined }, policy: CircuitPolicy = DEFAULT_CIRCUIT_POLICY): CircuitState {
  const consecutiveFailures = state.consecutiveFailures + 1;
  // a call that started before the circuit opened and failed after: it is open already
  if (phaseOf(state, now) === "open") return { ...state, consecutiveFailures };
  const wasProbing = phaseOf(state, now) === "half_open";
  if (!wasProbing && consecutiveFailures < policy.failureThreshold && !PERSISTENT_FAILURES.has(failure.kind)) {
    return { ...state, consecutiveFailures, probeUntil: null };
  }
  const openings = state.openings + 1;
  const wait = Math.max(cooldownMs(openings, policy), Math.min(failure.retryAfterMs ?? 0, policy.maxCooldownMs));
  return { consecutiveFailures, openings, openUntil: new Date(now.getTime() + wait), probeUntil: null };
}

export function afterSuccess(): CircuitState {
  return CLOSED;
}

/** Whether a failure says something about the endpoint rather than about this one prompt. */
export function countsAgainstEndpoint(failure: { kind: string; status?: number | undefined }): boolean {
  // the endpoint answered and refused this request (too long, filtered): the next prompt may be fine
  return !(failure.kind === "bad_response" && failure.status !== undefined && [400, 413, 422].includes(failure.status));
}

/** What the public sees about a subject whose circuit is open: a fixed phrase per kind of failure. */
export function publicReason(kind: string): string {
  switch (kind) {
    case "timeout":
      return "the system is taking too long to answer";
    case "rate_limited":
      return "the system is busy";
    case "auth":
    case "unknown_model":
    case "forbidden_address":
    case "model_path_refused":
      return "the system is not set up correctly";
    case "bad_response":
    case "stream_interrupted":
    case "not_a_model":
      return "the system is not giving usable answers";
    default:
      return "the system is not answering";
  }
}

const ORGANISER_EXPLANATIONS: Record<string, string> = {
  unreachable: "the endpoint could not be reached or failed",
  auth: "the endpoint refused the API key",
  unknown_model: "the endpoint does not serve that model",
  rate_limited: "the endpoint is rate-limiting",
  timeout: "the endpoint did not answer in time",
  stream_interrupted: "the answer broke off",
  bad_response: "the endpoint sent something that is not a chat completion",
  not_a_model: "the model file could not be loaded",
  forbidden_address: "the endpoint's address is refused by this server's outbound policy (loopback, private, link-local or metadata address; the operator can allow local model servers)",
  model_path_refused: "the model file is not in the server's models folder, or local models are not enabled",
};

/** What organisers see: the kind of failure and the HTTP status, never the endpoint's own text. */
export function organiserReason(failure: { kind: string; status?: number | null | undefined }): string {
  const status = failure.status ? ` (HTTP ${failure.status})` : "";
  return `${failure.kind}${status}: ${ORGANISER_EXPLANATIONS[failure.kind] ?? "the subject failed to answer"}`;
}
