/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions streaming protocol:
 * SSE `data: {chat.completion.chunk}` events closed by `data: [DONE]`, and OpenAI-style error bodies.
 * Each model name has a script: one step per request, the last step repeats.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { OutboundGuardOptions } from "../../../src/connectors/llm/outbound-guard.ts";

/** The fake server listens on loopback, which the default outbound policy refuses: tests allow it explicitly. */
export const LOOPBACK_ALLOWED = { policy: { allowPrivate: true, allowHosts: [] } } satisfies OutboundGuardOptions;

export type Step =
  | { readonly type: "stream"; readonly chunks: readonly string[]; readonly finish?: string | null; readonly usage?: { prompt: number; completion: number } | "if_requested" | "never"; readonly chunkDelayMs?: number; readonly stallAfter?: number; readonly endWithoutDone?: boolean; readonly destroyAfter?: number }
  | { readonly type: "error"; readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly type: "json"; readonly body: unknown };

export interface RecordedRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

export interface FakeOpenAIServer {
  readonly baseURL: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** the most requests in flight at once */
  readonly maxInFlight: () => number;
  /** requests whose client went away before the response ended (an aborted stream) */
  readonly closedEarly: () => number;
  /** TCP connections accepted so far */
  readonly connections: () => number;
  script(model: string, steps: readonly Step[]): void;
  close(): Promise<void>;
}

/** Mirrors OpenAI's real 401 text, which echoes the key: the connector must redact it. */
function wrongKeyBody(presented: string): unknown {
  return { error: { message: `Incorrect API key provided: ${presented}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: "invalid_request_error", param: null, code: "invalid_api_key" } };
}

function unknownModelBody(model: string): unknown {
  return { error: { message: `The model \`${model}\` does not exist or you do not have access to it.`, type: "invalid_request_error", param: null, code: "model_not_found" } };
}

function chunk(model: string, delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}): string {
  const body = { id: "chatcmpl-test", object: "chat.completion.chunk", created: 1_700_000_000, model, system_fingerprint: null, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra };
  return `data: ${JSON.stringify(body)}\n\n`;
}

export async function startFakeOpenAIServer(expectedKey: string): Promise<FakeOpenAIServer> {
  const scripts = new Map<string, Step[]>();
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let closedEarly = 0;
  const sockets = new Set<import("node:net").Socket>();

  const server: Server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => {
      inFlight -= 1;
      if (!res.writableFinished) closedEarly += 1;
    });
    void handle(req, res);
  });
  let connections = 0;
  server.on("connection", (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization, body });
    if (req.url !== "/v1/chat/completions") {
      res.writeHead(404, { "content-type": "text/plain" }).end("404 page not found");
      return;
    }
    const presented = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (presented !== expectedKey) {
      sendJson(res, 401, wrongKeyBody(presented));
      return;
    }
    const model = String(body.model);
    const steps = scripts.get(model);
    if (!steps || steps.length === 0) {
      sendJson(res, 404, unknownModelBody(model));
      return;
    }
    const step = steps.length > 1 ? (steps.shift() as Step) : (steps[0] as Step);
    if (step.type === "error") sendJson(res, step.status, step.body, step.headers);
    else if (step.type === "json") sendJson(res, 200, step.body);
    else await stream(res, model, step, body);
  }

  async function stream(res: ServerResponse, model: string, step: Extract<Step, { type: "stream" }>, body: Record<string, unknown>): Promise<void> {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.write(chunk(model, { role: "assistant", content: "" }, null));
    for (const [index, text] of step.chunks.entries()) {
      if (step.stallAfter === index) return; // keep the connection open, send nothing more
      if (step.destroyAfter === index) {
        await new Promise((resolve) => setTimeout(resolve, 30)); // let what was written reach the client
        res.socket?.destroy();
        return;
      }
      if (step.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, step.chunkDelayMs));
      if (res.destroyed) return;
      res.write(chunk(model, { content: text }, null));
    }
    const finish = step.finish === undefined ? "stop" : step.finish;
    if (finish !== null) res.write(chunk(model, {}, finish));
    const options = body.stream_options as { include_usage?: boolean } | undefined;
    const usage = step.usage ?? "if_requested";
    const sendUsage = typeof usage === "object" || (usage === "if_requested" && options?.include_usage === true);
    if (sendUsage) {
      const counts = typeof usage === "object" ? usage : { prompt: 11, completion: step.chunks.length };
      const usageBody = { id: "chatcmpl-test", object: "chat.completion.chunk", created: 1_700_000_000, model, choices: [], usage: { prompt_tokens: counts.prompt, completion_tokens: counts.completion, total_tokens: counts.prompt + counts.completion } };
      res.write(`data: ${JSON.stringify(usageBody)}\n\n`);
    }
    if (!step.endWithoutDone) res.write("data: [DONE]\n\n");
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    maxInFlight: () => maxInFlight,
    closedEarly: () => closedEarly,
    connections: () => connections,
    script: (model, steps) => void scripts.set(model, [...steps]),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString("utf8");
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
