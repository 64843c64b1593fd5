import { ApiError } from "./api.ts";

export interface StreamEvent {
  event: string;
  data: unknown;
}

/** Splits a text/event-stream buffer into complete events; returns them and the unfinished rest. */
export function parseEvents(buffer: string): { events: StreamEvent[]; rest: string } {
  const blocks = buffer.replace(/\r\n/g, "\n").split("\n\n");
  const rest = blocks.pop() ?? "";
  const events: StreamEvent[] = [];
  for (const block of blocks) {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (data.length === 0) continue;
    try {
      events.push({ event, data: JSON.parse(data.join("\n")) as unknown });
    } catch {
      events.push({ event, data: data.join("\n") });
    }
  }
  return { events, rest };
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let problem: { code?: string; detail?: string; field?: string } = {};
  try {
    problem = text ? (JSON.parse(text) as typeof problem) : {};
  } catch {
    // not JSON: keep the status only
  }
  const code = problem.code ?? (response.status >= 500 ? "internal_error" : "bad_request");
  return new ApiError(response.status, code.toLowerCase(), problem.detail ?? response.statusText, problem.field);
}

/**
 * POSTs JSON and reads the answer as a server-sent event stream (EventSource cannot POST), calling
 * `onEvent` for each event as it arrives. A refusal before the stream starts throws an ApiError.
 */
export async function postEventStream(path: string, body: unknown, onEvent: (event: StreamEvent) => void, signal?: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: "text/event-stream", "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  } catch {
    throw new ApiError(0, "network", "the server could not be reached");
  }
  if (!response.ok || !response.body) throw await problemOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    let chunk: ReadableStreamReadResult<string>;
    try {
      chunk = await reader.read();
    } catch {
      throw new ApiError(0, "network", "the stream was interrupted");
    }
    if (chunk.done) break;
    const parsed = parseEvents(buffer + chunk.value);
    buffer = parsed.rest;
    parsed.events.forEach(onEvent);
  }
  parseEvents(`${buffer}\n\n`).events.forEach(onEvent);
}
