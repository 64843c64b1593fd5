/** Waiting and retry timing: exponential backoff with jitter, `retry-after`, abortable sleep. */

export interface BackoffPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Delay before retry number `retry` (1-based): base·2^(retry−1), capped, with "equal jitter"
 * (half fixed, half drawn from `random()` in [0, 1)) so that many clients do not retry in step.
 */
export function backoffDelayMs(retry: number, policy: BackoffPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/**
 * Reads `retry-after-ms` (milliseconds, sent by OpenAI) or `retry-after` (seconds or an HTTP date).
 * Returns null when absent or unreadable.
 */
export function retryAfterMs(headers: Headers | undefined, nowMs: number): number | null {
  if (!headers) return null;
  const milliseconds = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.ceil(milliseconds);
  const raw = headers.get("retry-after")?.trim();
  if (!raw) return null;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number.parseFloat(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Thrown by withStallTimeout when no item arrived in time. */
export class StallTimeoutError extends Error {
  override readonly name = "StallTimeoutError";
  constructor(readonly idleMs: number) {
    super(`no data for ${idleMs} ms`);
  }
}

/**
 * Iterates `source`, failing with StallTimeoutError if any single step takes longer than `idleMs`.
 * `onStall` runs first (e.g. to abort the underlying request so the socket is released).
 */
export async function* withStallTimeout<T>(source: AsyncIterable<T>, idleMs: number, onStall: () => void): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          onStall();
          reject(new StallTimeoutError(idleMs));
        }, idleMs);
      });
      let step: IteratorResult<T>;
      try {
        step = await Promise.race([iterator.next(), stalled]);
      } finally {
        clearTimeout(timer);
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    void iterator.return?.()?.catch(() => undefined);
  }
}
