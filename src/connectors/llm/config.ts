/**
 * How a subject is reached. The API key lives only in the config object handed to a connector;
 * everything that leaves the process (routes, exports, cards, logs) uses describeConnectorConfig.
 */
import { z } from "zod";

export const DEFAULT_LIMITS = {
  /** connect + response headers, per attempt */
  requestTimeoutMs: 60_000,
  /** no chunk for this long while streaming → `timeout` */
  stallTimeoutMs: 30_000,
  maxRetries: 3,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 20_000,
  /** a `retry-after` longer than this is not waited for: the call fails `rate_limited` */
  maxRetryAfterMs: 60_000,
  maxConcurrency: 4,
} as const;

const positiveInt = z.number().int().positive();
/** Ten minutes: Node fires a timer of more than 2^31 − 1 ms (about 24.8 days) at once, which made every call time out, and no call or retry waits usefully longer. */
export const MAX_WAIT_MS = 600_000;
const timeoutMs = positiveInt.max(MAX_WAIT_MS);
const delayMs = z.number().int().min(0).max(MAX_WAIT_MS);

const openAICompatibleConfigSchema = z.object({
  kind: z.literal("openai_compatible"),
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 */
  baseURL: z.url(),
  model: z.string().min(1),
  apiKey: z.string().min(1).optional(),
  /** ask the server for `usage` in the stream (stream_options.include_usage); some servers refuse it */
  includeUsage: z.boolean().optional(),
  requestTimeoutMs: timeoutMs.optional(),
  stallTimeoutMs: timeoutMs.optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  retryBaseDelayMs: delayMs.optional(),
  retryMaxDelayMs: delayMs.optional(),
  maxRetryAfterMs: delayMs.optional(),
  maxConcurrency: positiveInt.max(64).optional(),
});
export type OpenAICompatibleConfig = z.infer<typeof openAICompatibleConfigSchema>;

const ggufConfigSchema = z.object({
  kind: z.literal("gguf"),
  /** path of a .gguf file on the server's disk */
  modelPath: z.string().min(1),
  contextSize: positiveInt.optional(),
  stallTimeoutMs: timeoutMs.optional(),
  maxConcurrency: positiveInt.max(16).optional(),
  /** CPU threads for inference; node-llama-cpp's default when absent */
  threads: positiveInt.optional(),
});
export type GgufConfig = z.infer<typeof ggufConfigSchema>;

export const connectorConfigSchema = z.discriminatedUnion("kind", [openAICompatibleConfigSchema, ggufConfigSchema]);
export type ConnectorConfig = OpenAICompatibleConfig | GgufConfig;

/** What may be shown or stored about a connector config: no key, no credentials in the URL. */
export type ConnectorConfigView =
  | (Omit<OpenAICompatibleConfig, "apiKey" | "baseURL"> & { baseURL: string; apiKey: "set" | "not set" })
  | GgufConfig;

/** Validates untrusted input (a route body, an import); zod issues name the offending field. */
export function parseConnectorConfig(input: unknown): ConnectorConfig {
  return connectorConfigSchema.parse(input);
}

/** The redacted view of a config for routes, exports and evaluation cards. */
export function describeConnectorConfig(config: ConnectorConfig): ConnectorConfigView {
  if (config.kind === "gguf") return { ...config };
  const { apiKey, baseURL, ...rest } = config;
  return { ...rest, baseURL: redactUrlCredentials(baseURL), apiKey: apiKey ? "set" : "not set" };
}

const SECRET_QUERY_PARAM = /key|token|secret|signature|sig|password|auth/i;

/** Drops user:password from a URL and masks query parameters that carry credentials. */
export function redactUrlCredentials(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "[unparseable URL]";
  }
  url.username = "";
  url.password = "";
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_QUERY_PARAM.test(name)) url.searchParams.set(name, "redacted");
  }
  return url.toString();
}
