/**
 * A subject that is a local GGUF model file, run on the CPU through node-llama-cpp (optional
 * dependency, imported on first use). The model loads once, lazily; concurrent generations each get
 * a context sequence, up to `maxConcurrency`.
 */
import type { ChatHistoryItem, LlamaContext, LlamaModel } from "node-llama-cpp";
import type { GgufConfig } from "./config.ts";
import { ConnectorError } from "./errors.ts";
import { EventQueue } from "./event-queue.ts";
import { loadBindings, loadGgufModel } from "./local-runtime.ts";
import { Semaphore } from "./semaphore.ts";
import { StallTimeoutError, withStallTimeout } from "./timing.ts";
import type { ChatMessage, ConnectorLogger, GenerationEvent, GenerationRequest, SubjectConnector } from "./types.ts";

const GGUF_DEFAULTS = { maxContextSize: 4096, stallTimeoutMs: 60_000, maxConcurrency: 1 } as const;

interface Loaded {
  readonly model: LlamaModel;
  readonly context: LlamaContext;
}

export interface GgufRuntimeOptions {
  readonly logger?: ConnectorLogger;
  readonly now?: () => number;
}

export class GgufConnector implements SubjectConnector {
  private loading: Promise<Loaded> | null = null;
  private readonly semaphore: Semaphore;
  private closed = false;

  constructor(
    private readonly config: GgufConfig,
    private readonly options: GgufRuntimeOptions = {},
  ) {
    this.semaphore = new Semaphore(config.maxConcurrency ?? GGUF_DEFAULTS.maxConcurrency);
  }

  /** Loads the model now (otherwise the first `generate` does). Rejects with a ConnectorError. */
  async load(): Promise<void> {
    await this.loaded();
  }

  generate(request: GenerationRequest): AsyncIterable<GenerationEvent> {
    return this.run(request);
  }

  async close(): Promise<void> {
    this.closed = true;
    const loading = this.loading;
    this.loading = null;
    const loaded = await loading?.catch(() => null);
    if (!loaded) return;
    await loaded.context.dispose();
    await loaded.model.dispose();
  }

  private loaded(): Promise<Loaded> {
    if (this.closed) return Promise.reject(new ConnectorError("unreachable", "this connector was closed"));
    this.loading ??= this.loadModelAndContext().catch((error: unknown) => {
      this.loading = null;
      throw error;
    });
    return this.loading;
  }

  private async loadModelAndContext(): Promise<Loaded> {
    const model = await loadGgufModel(this.config.modelPath);
    const contextSize = this.config.contextSize ?? Math.min(model.trainContextSize, GGUF_DEFAULTS.maxContextSize);
    try {
      const context = await model.createContext({
        contextSize,
        sequences: this.semaphore.limit,
        ...(this.config.threads === undefined ? {} : { threads: this.config.threads }),
      });
      this.options.logger?.({ level: "info", event: "model_loaded", message: `loaded a ${model.fileInsights.modelSize}-byte GGUF model with a ${contextSize}-token context` });
      return { model, context };
    } catch (error) {
      await model.dispose();
      throw new ConnectorError("not_a_model", `the model loaded but a ${contextSize}-token context could not be created: ${errorText(error)}`);
    }
  }

  private async *run(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
    const { context } = await this.loaded();
    const release = await this.semaphore.acquire(request.signal);
    const sequence = context.getSequence();
    const controller = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    const startedAt = this.now();
    const metered = sequence.tokenMeter.getState();
    try {
      const { LlamaChat } = await loadBindings();
      const chat = new LlamaChat({ contextSequence: sequence });
      const chunks = new EventQueue<string>();
      const generation = chat
        .generateResponse(toChatHistory(request.messages), {
          onTextChunk: (text) => chunks.push(text),
          signal,
          stopOnAbortSignal: false,
          ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        })
        .then(
          (result) => {
            chunks.end();
            return result;
          },
          (error: unknown) => {
            chunks.end(error);
            return null;
          },
        );
      let text = "";
      let firstTokenMs: number | null = null;
      try {
        for await (const chunk of withStallTimeout(chunks, this.config.stallTimeoutMs ?? GGUF_DEFAULTS.stallTimeoutMs, () => controller.abort())) {
          if (!chunk) continue;
          firstTokenMs ??= this.now() - startedAt;
          text += chunk;
          yield { kind: "delta", text: chunk };
        }
      } catch (error) {
        request.signal?.throwIfAborted();
        throw this.generationFailure(error);
      }
      const result = await generation;
      if (!result) throw new ConnectorError("stream_interrupted", "the local model stopped without a result");
      const used = sequence.tokenMeter.getState();
      yield {
        kind: "done",
        text,
        usage: { promptTokens: used.usedInputTokens - metered.usedInputTokens, completionTokens: used.usedOutputTokens - metered.usedOutputTokens, source: "reported" },
        latencyMs: this.now() - startedAt,
        firstTokenMs,
        finishReason: finishReason(result.metadata.stopReason),
        attempts: 1,
      };
      chat.dispose({ disposeSequence: false });
    } finally {
      controller.abort();
      sequence.dispose();
      release();
    }
  }

  private generationFailure(error: unknown): ConnectorError {
    const failure =
      error instanceof ConnectorError
        ? error
        : error instanceof StallTimeoutError
          ? new ConnectorError("timeout", `the local model produced nothing for ${error.idleMs} ms`)
          : new ConnectorError("stream_interrupted", `the local model failed while generating: ${errorText(error)}`);
    this.options.logger?.({ level: "warn", event: "failure", code: failure.code, message: failure.message });
    return failure;
  }

  private now(): number {
    return (this.options.now ?? (() => performance.now()))();
  }
}

/** Chat messages as node-llama-cpp's history, ending with the empty model turn to be generated. */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message): ChatHistoryItem => {
    if (message.role === "system") return { type: "system", text: message.content };
    if (message.role === "user") return { type: "user", text: message.content };
    return { type: "model", response: [message.content] };
  });
  history.push({ type: "model", response: [] });
  return history;
}

/** node-llama-cpp's stop reasons in the OpenAI vocabulary the rest of the app uses. */
function finishReason(stopReason: string): string {
  if (stopReason === "maxTokens") return "length";
  if (stopReason === "eogToken" || stopReason === "stopGenerationTrigger" || stopReason === "customStopTrigger") return "stop";
  return stopReason;
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").slice(0, 240);
}
