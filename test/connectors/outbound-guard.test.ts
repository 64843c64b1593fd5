/**
 * The connect-time guard: with the default policy nothing reaches a loopback listener, whatever the URL
 * says (an address literal, an IPv4-mapped IPv6 form, a name that resolves — or re-resolves — to
 * 127.0.0.1, a redirect). The operator's settings open it explicitly.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { isConnectorError } from "../../src/connectors/llm/errors.ts";
import { OpenAICompatibleConnector } from "../../src/connectors/llm/openai-compatible.ts";
import { endpointUrlProblem, guardedFetch, type LookupAll, type OutboundGuardOptions } from "../../src/connectors/llm/outbound-guard.ts";
import { parseAllowHosts } from "../../src/core/outbound.ts";
import { collect, HELLO } from "./support/collect.ts";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "./support/fake-openai-server.ts";

const KEY = "sk-guard-test-0123456789";

/** A loopback HTTP listener that counts TCP connections and redirects everything to `redirectTo` when set. */
interface Listener {
  server: Server;
  port: number;
  connections: () => number;
  redirectTo: string | null;
}

async function listener(): Promise<Listener> {
  let connections = 0;
  const state: Listener = { server: createServer(), port: 0, connections: () => connections, redirectTo: null };
  state.server.on("connection", () => (connections += 1));
  state.server.on("request", (req, res) => {
    if (state.redirectTo) res.writeHead(307, { location: state.redirectTo }).end();
    else res.writeHead(200, { "content-type": "application/json" }).end('{"secret":"internal service data"}');
  });
  await new Promise<void>((resolve) => state.server.listen(0, "127.0.0.1", resolve));
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

let target: Listener;
let llm: FakeOpenAIServer;
before(async () => {
  target = await listener();
  llm = await startFakeOpenAIServer(KEY);
  llm.script("m", [{ type: "stream", chunks: ["hello"] }]);
});
after(async () => {
  target.server.closeAllConnections();
  await new Promise<void>((resolve) => target.server.close(() => resolve()));
  await llm.close();
});

async function expectForbidden(baseURL: string, outbound: OutboundGuardOptions = {}): Promise<void> {
  const connector = new OpenAICompatibleConnector({ kind: "openai_compatible", baseURL, model: "m", apiKey: KEY, maxRetries: 0 }, { outbound });
  const outcome = await collect(connector, HELLO);
  await connector.close();
  assert.ok(isConnectorError(outcome.error), String(outcome.error));
  assert.equal(outcome.error.code, "forbidden_address", outcome.error.message);
}

test("by default a loopback endpoint is refused at connect time: the listener gets no connection", async () => {
  const before = target.connections();
  await expectForbidden(`http://127.0.0.1:${target.port}/v1`);
  await expectForbidden(`http://[::ffff:127.0.0.1]:${target.port}/v1`);
  await expectForbidden(`http://[::ffff:7f00:1]:${target.port}/v1`);
  await expectForbidden(`http://localhost:${target.port}/v1`);
  await expectForbidden(`http://0.0.0.0:${target.port}/v1`);
  await expectForbidden(`http://169.254.169.254/latest/meta-data/`, { policy: { allowPrivate: true, allowHosts: [] } });
  assert.equal(target.connections(), before, "nothing reached the listener");
});

test("DNS rebinding: a name that resolved to a public address on save and to 127.0.0.1 now is refused when connecting", async () => {
  let calls = 0;
  const rebinding: LookupAll = async () => {
    calls += 1;
    return calls === 1 ? [{ address: "93.184.216.34", family: 4 }] : [{ address: "127.0.0.1", family: 4 }];
  };
  const url = `http://rebind.example.test:${target.port}/v1`;
  assert.equal(await endpointUrlProblem(url, { lookup: rebinding }), null, "the check on save saw a public address");
  const before = target.connections();
  await expectForbidden(url, { lookup: rebinding });
  assert.equal(calls, 2, "the guard resolved the name itself, at connect time");
  assert.equal(target.connections(), before);
  // a name with several addresses, all forbidden, is refused whichever comes first
  const mixed: LookupAll = async () => [
    { address: "10.0.0.7", family: 4 },
    { address: "127.0.0.1", family: 4 },
  ];
  await expectForbidden(url, { lookup: mixed });
  assert.equal(target.connections(), before);
});

test("the check on save names the rule: scheme and forbidden address", async () => {
  assert.equal((await endpointUrlProblem("ftp://example.org/v1"))?.rule, "scheme");
  assert.equal((await endpointUrlProblem("file:///etc/passwd"))?.rule, "scheme");
  assert.equal((await endpointUrlProblem("http://127.0.0.1:11434/v1"))?.rule, "forbidden_address");
  assert.equal((await endpointUrlProblem("http://[fd00:ec2::254]/"))?.rule, "forbidden_address");
  assert.equal((await endpointUrlProblem("http://localhost:11434/v1"))?.rule, "forbidden_address");
  assert.equal(await endpointUrlProblem("http://127.0.0.1:11434/v1", { policy: { allowPrivate: true, allowHosts: [] } }), null);
  assert.equal(await endpointUrlProblem("http://localhost:11434/v1", { policy: { allowPrivate: false, allowHosts: parseAllowHosts("localhost:11434") } }), null);
  assert.equal((await endpointUrlProblem("http://localhost:8080/v1", { policy: { allowPrivate: false, allowHosts: parseAllowHosts("localhost:11434") } }))?.rule, "forbidden_address");
});

test("redirects are never followed: a public-looking endpoint cannot bounce the request to loopback", async () => {
  const bouncer = await listener();
  bouncer.redirectTo = `http://127.0.0.1:${target.port}/v1/chat/completions`;
  const before = target.connections();
  try {
    // the bouncer itself is allowed (by the allow-list, as a stand-in for a public host)
    const policy = { allowPrivate: false, allowHosts: parseAllowHosts(`127.0.0.1:${bouncer.port}`) };
    const guarded = guardedFetch({ policy });
    const response = await guarded.fetch(`http://127.0.0.1:${bouncer.port}/v1/chat/completions`, { method: "POST", body: "{}" });
    assert.equal(response.status, 307, "the redirect comes back as it is");
    await response.body?.cancel();
    await guarded.close();
    const connector = new OpenAICompatibleConnector({ kind: "openai_compatible", baseURL: `http://127.0.0.1:${bouncer.port}/v1`, model: "m", maxRetries: 0 }, { outbound: { policy } });
    const outcome = await collect(connector, HELLO);
    await connector.close();
    assert.ok(isConnectorError(outcome.error));
    assert.equal(target.connections(), before, "the redirect target was never contacted");
  } finally {
    bouncer.server.closeAllConnections();
    await new Promise<void>((resolve) => bouncer.server.close(() => resolve()));
  }
});

test("the operator's settings let a local model server through: allow all private, or an allow-listed host:port", async () => {
  for (const policy of [{ allowPrivate: true, allowHosts: [] }, { allowPrivate: false, allowHosts: parseAllowHosts(`127.0.0.1:${llm.port}`) }]) {
    const connector = new OpenAICompatibleConnector({ kind: "openai_compatible", baseURL: llm.baseURL, model: "m", apiKey: KEY, maxRetries: 0 }, { outbound: { policy } });
    const outcome = await collect(connector, HELLO);
    await connector.close();
    assert.equal(outcome.error, undefined, String(outcome.error));
    assert.equal(outcome.events.at(-1)?.kind, "done");
  }
  // an allow-list entry for another port does not open this one
  await expectForbidden(llm.baseURL, { policy: { allowPrivate: false, allowHosts: parseAllowHosts("127.0.0.1:1") } });
});
