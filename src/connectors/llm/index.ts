/** The connectors' public surface: build a connector from a (validated) config. */
import type { ConnectorConfig } from "./config.ts";
import { GgufConnector } from "./gguf.ts";
import { OpenAICompatibleConnector } from "./openai-compatible.ts";
import type { OutboundGuardOptions } from "./outbound-guard.ts";
import type { ConnectorLogger, SubjectConnector } from "./types.ts";

export { connectorConfigSchema, describeConnectorConfig, parseConnectorConfig, DEFAULT_LIMITS } from "./config.ts";
export type { ConnectorConfig, ConnectorConfigView, GgufConfig, OpenAICompatibleConfig } from "./config.ts";
export { CONNECTOR_ERROR_CODES, ConnectorError, isConnectorError, redactSecrets } from "./errors.ts";
export type { ConnectorErrorCode, ConnectorErrorDetails } from "./errors.ts";
export { GgufConnector } from "./gguf.ts";
export { releaseLocalRuntime } from "./local-runtime.ts";
export { OpenAICompatibleConnector } from "./openai-compatible.ts";
export { endpointUrlProblem, ForbiddenAddressError, guardedFetch } from "./outbound-guard.ts";
export type { LookupAll, OutboundGuardOptions } from "./outbound-guard.ts";
export { ModelPathError, resolveModelPath } from "./model-path.ts";
export type * from "./types.ts";

/**
 * One connector per subject: its concurrency limit is per instance. `outbound`: which addresses an
 * OpenAI-compatible endpoint may reach (default: public ones only). A GGUF config's modelPath must
 * already be resolved inside the operator's models folder (resolveModelPath).
 */
export function createConnector(config: ConnectorConfig, options: { logger?: ConnectorLogger; outbound?: OutboundGuardOptions } = {}): SubjectConnector {
  const { outbound, ...rest } = options;
  return config.kind === "gguf" ? new GgufConnector(config, rest) : new OpenAICompatibleConnector(config, { ...rest, ...(outbound ? { outbound } : {}) });
}
