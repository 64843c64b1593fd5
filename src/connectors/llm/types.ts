/**
 * The one contract every live AI system speaks to Counterpublic through: a chat request in, a stream
 * of generation events out. Connectors (OpenAI-compatible endpoint, local GGUF model) implement it.
 */

export const CHAT_ROLES = ["system", "user", "assistant"] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

export interface GenerationRequest {
  readonly messages: readonly ChatMessage[];
  readonly maxTokens?: number;
  readonly temperature?: number;
  /** Aborting rejects the iteration with the signal's reason (an AbortError), never a ConnectorError. */
  readonly signal?: AbortSignal;
}

/**
 * Token accounting. `source` says where the numbers come from: `reported` when the endpoint or the
 * local runtime reported them; `counted_chunks` when the server sent no usage and completion tokens
 * are the number of non-empty streamed chunks (an estimate). `promptTokens` is null when unknown.
 */
export interface TokenUsage {
  readonly promptTokens: number | null;
  readonly completionTokens: number;
  readonly source: "reported" | "counted_chunks";
}

export interface DeltaEvent {
  readonly kind: "delta";
  readonly text: string;
}

export interface DoneEvent {
  readonly kind: "done";
  /** the whole generated text (the concatenation of every delta) */
  readonly text: string;
  readonly usage: TokenUsage;
  /** from the start of the successful attempt to the end of the stream */
  readonly latencyMs: number;
  /** from the start of the successful attempt to the first non-empty delta; null if none came */
  readonly firstTokenMs: number | null;
  /** as reported: `stop`, `length`, `content_filter`, ... */
  readonly finishReason: string;
  /** 1 + the number of retries it took */
  readonly attempts: number;
}

export type GenerationEvent = DeltaEvent | DoneEvent;

export interface SubjectConnector {
  /** Deltas, then exactly one `done`; failures reject the iteration with a ConnectorError. */
  generate(request: GenerationRequest): AsyncIterable<GenerationEvent>;
  /** Releases what the connector holds (a loaded model); later `generate` calls fail. */
  close(): Promise<void>;
}

/** A log line a connector emits. It never contains an API key (see redactSecrets). */
export interface ConnectorLogEntry {
  readonly level: "info" | "warn";
  readonly event: "retry" | "failure" | "model_loaded";
  readonly message: string;
  readonly attempt?: number;
  readonly delayMs?: number;
  readonly code?: string;
}

export type ConnectorLogger = (entry: ConnectorLogEntry) => void;
