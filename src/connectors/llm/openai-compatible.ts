/**
 * A subject served by any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp server,
 * Ollama, LM Studio, …), streamed. Retries are ours (the SDK's are off): exponential backoff on
 * 429/5xx before the first byte of a response, honouring `retry-after`. Once a stream has started it
 * is never retried, so no text is ever duplicated.
 */
import OpenAI from "openai";
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { DEFAULT_LIMITS, redactUrlCredentials, type OpenAICompatibleConfig } from "./config.ts";
import { ConnectorError } from "./errors.ts";
import { isRetryableStatus, toConnectorError, type ErrorContext } from "./openai-errors.ts";
import { guardedFetch, type GuardedFetch, type OutboundGuardOptions } from "./outbound-guard.ts";
import { Semaphore } from "./semaphore.ts";
import { backoffDelayMs, retryAfterMs, sleep, withStallTimeout } from "./timing.ts";
import type { ConnectorLogger, GenerationEvent, GenerationRequest, SubjectConnector, TokenUsage } from "./types.ts";

export interface ConnectorRuntime {
  readonly logger?: ConnectorLogger;
  /** jitter source for backoff, in [0, 1) */
  readonly random?: () => number;
  /** a monotonic clock in milliseconds, for latency */
  readonly now?: () => number;
  /**
   * Which addresses may be connected to, judged for every new socket. Absent: the default policy
   * (public addresses only). Tests against a loopback server pass `{ policy: { allowPrivate: true, … } }`.
   */
  readonly outbound?: OutboundGuardOptions;
}

/** Placeholder sent when a local server needs no key: the SDK would otherwise read OPENAI_API_KEY from the environment. */
const NO_KEY = "no-key";

export class OpenAICompatibleConnector implements SubjectConnector {
  // `#` fields: invisible to util.inspect and JSON.stringify, so logging the connector cannot leak the key
  readonly #client: OpenAI;
  readonly #config: OpenAICompatibleConfig;
  private readonly semaphore: Semaphore;
  private readonly limits: Required<Omit<OpenAICompatibleConfig, "kind" | "baseURL" | "model" | "apiKey">>;
  readonly #secrets: readonly (string | undefined)[];
  readonly #fetch: GuardedFetch;
  private readonly endpoint: string;
  private closed = false;

  constructor(
    config: OpenAICompatibleConfig,
    private readonly runtime: ConnectorRuntime = {},
  ) {
    this.#config = config;
    this.limits = {
      includeUsage: config.includeUsage ?? true,
      requestTimeoutMs: config.requestTimeoutMs ?? DEFAULT_LIMITS.requestTimeoutMs,
      stallTimeoutMs: config.stallTimeoutMs ?? DEFAULT_LIMITS.stallTimeoutMs,
      maxRetries: config.maxRetries ?? DEFAULT_LIMITS.maxRetries,
      retryBaseDelayMs: config.retryBaseDelayMs ?? DEFAULT_LIMITS.retryBaseDelayMs,
      retryMaxDelayMs: config.retryMaxDelayMs ?? DEFAULT_LIMITS.retryMaxDelayMs,
      maxRetryAfterMs: config.maxRetryAfterMs ?? DEFAULT_LIMITS.maxRetryAfterMs,
      maxConcurrency: config.maxConcurrency ?? DEFAULT_LIMITS.maxConcurrency,
    };
    this.#secrets = secretsOf(config);
    this.endpoint = redactUrlCredentials(config.baseURL);
    this.semaphore = new Semaphore(this.limits.maxConcurrency);
    this.#fetch = guardedFetch(runtime.outbound ?? {});
    this.#client = new OpenAI({
      fetch: this.#fetch.fetch,
      baseURL: config.baseURL,
      apiKey: config.apiKey ?? NO_KEY,
      adminAPIKey: null,
      organization: null,
      project: null,
      timeout: this.limits.requestTimeoutMs,
      maxRetries: 0,
      logLevel: "off",
    });
  }

  /** How many generations are running / waiting for a slot right now. */
  get load(): { running: number; queued: number } {
    return { running: this.semaphore.inUse, queued: this.semaphore.queued };
  }

  generate(request: GenerationRequest): AsyncIterable<GenerationEvent> {
    return this.run(request);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.#fetch.close();
  }

  private async *run(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    if (this.closed) throw new ConnectorError("unreachable", "this connector was closed");
    const release = await this.semaphore.acquire(request.signal);
    try {
      for (let attempt = 1; ; attempt += 1) {
        const controller = new AbortController();
        const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
        const startedAt = this.now();
        let stream: AsyncIterable<ChatCompletionChunk>;
        try {
          stream = await this.#client.chat.completions.create(this.body(request), { signal });
        } catch (error) {
          request.signal?.throwIfAborted();
          const delayMs = this.retryDelayMs(error, attempt);
          if (delayMs === null) throw this.failure(error, "request", attempt);
          this.log({ level: "warn", event: "retry", attempt, delayMs, message: `${this.describeRetryable(error)}; retry ${attempt} of ${this.limits.maxRetries} in ${delayMs} ms` });
          await sleep(delayMs, request.signal);
          continue;
        }
        yield* this.readStream(stream, controller, { startedAt, attempt, signal: request.signal });
        return;
      }
    } finally {
      release();
    }
  }

  private async *readStream(
    stream: AsyncIterable<ChatCompletionChunk>,
    controller: AbortController,
    attemptInfo: { startedAt: number; attempt: number; signal: AbortSignal | undefined },
  ): AsyncGenerator<GenerationEvent> {
    const tally = new StreamTally();
    let finished = false;
    try {
      for await (const chunk of withStallTimeout(stream, this.limits.stallTimeoutMs, () => controller.abort())) {
        const text = tally.add(chunk, this.now() - attemptInfo.startedAt);
        if (text) yield { kind: "delta", text };
      }
      finished = true;
      // the SDK ends the iteration quietly when its request is aborted
      attemptInfo.signal?.throwIfAborted();
    } catch (error) {
      attemptInfo.signal?.throwIfAborted();
      throw this.failure(error, "stream", attemptInfo.attempt);
    } finally {
      if (!finished) controller.abort();
    }
    yield this.doneEvent(tally, attemptInfo);
  }

  private doneEvent(tally: StreamTally, attemptInfo: { startedAt: number; attempt: number }): GenerationEvent {
    if (!tally.sawCompletionChunk) {
      throw this.failure(new ConnectorError("bad_response", "the endpoint answered 200 but sent no chat.completion.chunk events (is it really an OpenAI-compatible streaming API?)"), "stream", attemptInfo.attempt);
    }
    if (tally.finishReason === null) {
      throw this.failure(new ConnectorError("stream_interrupted", `the stream ended without a finish_reason after ${tally.contentChunks} content chunk(s)`), "stream", attemptInfo.attempt);
    }
    return {
      kind: "done",
      text: tally.text,
      usage: tally.usage(),
      latencyMs: this.now() - attemptInfo.startedAt,
      firstTokenMs: tally.firstTokenMs,
      finishReason: tally.finishReason,
      attempts: attemptInfo.attempt,
    };
  }

  private body(request: GenerationRequest): ChatCompletionCreateParamsStreaming {
    return {
      model: this.#config.model,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      stream: true,
      ...(this.limits.includeUsage ? { stream_options: { include_usage: true } } : {}),
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    };
  }

  /** null: do not retry. Throws `rate_limited` when the server asks for a longer wait than we accept. */
  private retryDelayMs(error: unknown, attempt: number): number | null {
    if (!isRetryableStatus(error)) return null;
    const asked = retryAfterMs(error.headers, Date.now());
    if (asked !== null && asked > this.limits.maxRetryAfterMs) {
      throw this.failure(
        new ConnectorError("rate_limited", `the endpoint asked to wait ${Math.ceil(asked / 1000)} s, longer than the ${Math.ceil(this.limits.maxRetryAfterMs / 1000)} s limit`, { status: error.status, attempts: attempt, retryAfterMs: asked }),
        "request",
        attempt,
      );
    }
    if (attempt > this.limits.maxRetries) return null;
    return asked ?? backoffDelayMs(attempt, { baseDelayMs: this.limits.retryBaseDelayMs, maxDelayMs: this.limits.retryMaxDelayMs }, this.runtime.random ?? Math.random);
  }

  private describeRetryable(error: unknown): string {
    return isRetryableStatus(error) ? `the endpoint answered ${error.status}` : "the request failed";
  }

  private failure(error: unknown, phase: ErrorContext["phase"], attempts: number): ConnectorError {
    const mapped = toConnectorError(error, {
      secrets: this.#secrets,
      endpoint: this.endpoint,
      model: this.#config.model,
      phase,
      attempts,
      requestTimeoutMs: this.limits.requestTimeoutMs,
    });
    this.log({ level: "warn", event: "failure", code: mapped.code, attempt: attempts, message: mapped.message });
    return mapped;
  }

  private log(entry: Parameters<ConnectorLogger>[0]): void {
    this.runtime.logger?.(entry);
  }

  private now(): number {
    return (this.runtime.now ?? (() => performance.now()))();
  }
}

/** Accumulates a stream: text, finish reason, server usage, first-token time. */
class StreamTally {
  text = "";
  finishReason: string | null = null;
  firstTokenMs: number | null = null;
  contentChunks = 0;
  sawCompletionChunk = false;
  private serverUsage: { prompt_tokens: number; completion_tokens: number } | null = null;

  /** Returns the chunk's new text ("" if none). */
  add(chunk: ChatCompletionChunk, elapsedMs: number): string {
    if (!chunk || typeof chunk !== "object" || !Array.isArray(chunk.choices)) return "";
    this.sawCompletionChunk = true;
    if (chunk.usage) this.serverUsage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) return "";
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    const text = typeof choice.delta?.content === "string" ? choice.delta.content : "";
    if (!text) return "";
    this.contentChunks += 1;
    this.text += text;
    this.firstTokenMs ??= elapsedMs;
    return text;
  }

  usage(): TokenUsage {
    if (this.serverUsage) {
      return { promptTokens: this.serverUsage.prompt_tokens, completionTokens: this.serverUsage.completion_tokens, source: "reported" };
    }
    return { promptTokens: null, completionTokens: this.contentChunks, source: "counted_chunks" };
  }
}

/** Everything in a config that must never be shown: the key, URL credentials, secret query values. */
function secretsOf(config: OpenAICompatibleConfig): string[] {
  const secrets: string[] = config.apiKey ? [config.apiKey] : [];
  try {
    const url = new URL(config.baseURL);
    if (url.password) secrets.push(decodeURIComponent(url.password), url.password);
    for (const [name, value] of url.searchParams) if (/key|token|secret|sig|password|auth/i.test(name) && value) secrets.push(value);
  } catch {
    // an unparseable URL holds no credentials we could recognise
  }
  return secrets;
}
