import assert from "node:assert/strict";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { freePort } from "../../src/platform/db/embedded.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "counterpublic-serve-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function serve(port: number, extra: string[] = [], env: Record<string, string> = {}, dir = dataDir): { child: ChildProcess; ready: Promise<string>; output: () => string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ["bin/counterpublic.js", "serve", "--port", String(port), "--data-dir", dir, ...extra], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("is serving on")) resolve(output);
    });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return { child, ready, output: () => output };
}

function postgresProcessesFor(dir: string): string[] {
  const ps = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
  return ps.split("\n").filter((line) => line.includes("postgres") && line.includes(path.join(dir, "pg")));
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exit = exited(child);
  child.kill("SIGTERM");
  return exit;
}

test("serve starts the embedded PostgreSQL and the web app, SIGTERM leaves none behind, and a restart reuses the data", { timeout: 120_000 }, async () => {
  const port = await freePort();
  const first = serve(port, ["--demo"]);
  await first.ready;
  const listed = (await (await fetch(`http://127.0.0.1:${port}/api/evaluations`)).json()) as { evaluations: { slug: string; counts: { judgments: number } }[] };
  assert.equal(listed.evaluations.find((e) => e.slug === "llmfao")?.counts.judgments, 8931);
  const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: "text/html" } });
  assert.equal(page.status, 200, "the built web app is served at /");
  assert.match(await page.text(), /<script type="module"/);
  assert.ok(postgresProcessesFor(dataDir).length > 0, "PostgreSQL runs while serving");
  const firstExit = await stop(first.child);
  assert.equal(firstExit, 0, "a clean exit on SIGTERM");
  assert.deepEqual(postgresProcessesFor(dataDir), [], "no PostgreSQL process is left after SIGTERM");

  const second = serve(port);
  await second.ready;
  const again = (await (await fetch(`http://127.0.0.1:${port}/api/evaluations`)).json()) as { evaluations: { slug: string; counts: { judgments: number } }[] };
  assert.equal(again.evaluations.find((e) => e.slug === "llmfao")?.counts.judgments, 8931, "the data survived the restart");
  assert.equal(await stop(second.child), 0);
  assert.deepEqual(postgresProcessesFor(dataDir), []);
});

/** A POST whose headers are sent and whose body is not, yet: a request in flight. */
function requestInFlight(port: number, body: string): { socket: Socket; finish: () => void; response: Promise<string> } {
  const socket = connect(port, "127.0.0.1");
  socket.write(`POST /api/evaluations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`);
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  const response = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  return { socket, finish: () => socket.write(body.slice(5)), response };
}

test("without a built web app / says how to build it; SIGTERM drains requests in flight, for a bounded time, then exits 0", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "counterpublic-drain-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const server = serve(port, [], { COUNTERPUBLIC_WEB_DIR: path.join(dir, "no-web-dist"), COUNTERPUBLIC_DRAIN_SECONDS: "2" }, dir);
  const log = await server.ready;
  assert.match(log, /the web app is not built .*npm run build:web/);
  const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: "text/html" } });
  assert.equal(page.status, 503);
  assert.match(await page.text(), /<code>npm run build:web<\/code>/);

  const body = JSON.stringify({ slug: "drained", title: "Drained" });
  const finishing = requestInFlight(port, body);
  const hanging = requestInFlight(port, body);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = Date.now();
  const exit = exited(server.child);
  server.child.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(server.child.exitCode, null, "still draining while a request is in flight");
  finishing.finish();
  assert.match(await finishing.response, /^HTTP\/1\.1 4\d\d /, "the request in flight got its answer after SIGTERM");
  assert.equal(await hanging.response, "", "a request that never completes is cut after the drain time");
  assert.equal(await exit, 0);
  const took = Date.now() - started;
  assert.ok(took >= 2000 && took < 15_000, `stopped after the 2 s drain bound, not before or long after (${took} ms)`);
  assert.match(server.output(), /SIGTERM: stopping[\s\S]*requests still running after 2 s[\s\S]*stopped/);
  assert.deepEqual(postgresProcessesFor(dir), []);
});
