import type { GenerationEvent, GenerationRequest, SubjectConnector } from "../../../src/connectors/llm/types.ts";

export interface Outcome {
  readonly events: GenerationEvent[];
  readonly error: unknown;
  readonly elapsedMs: number;
}

/** Drains one generation, keeping every event and the error it ended with (if any). */
export async function collect(connector: SubjectConnector, request: GenerationRequest, onEvent?: (event: GenerationEvent) => void): Promise<Outcome> {
  const events: GenerationEvent[] = [];
  const started = performance.now();
  try {
    for await (const event of connector.generate(request)) {
      events.push(event);
      onEvent?.(event);
    }
    return { events, error: undefined, elapsedMs: performance.now() - started };
  } catch (error) {
    return { events, error, elapsedMs: performance.now() - started };
  }
}

export const HELLO: GenerationRequest = { messages: [{ role: "user", content: "Say hello." }] };
