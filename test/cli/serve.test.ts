import assert from "node:assert/strict";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { freePort } from "../../src/platform/db/embedded.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "counterpublic-serve-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function serve(port: number, extra: string[] = []): { child: ChildProcess; ready: Promise<string> } {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["bin/counterpublic.js", "serve", "--port", String(port), "--data-dir", dataDir, ...extra], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("is serving on")) resolve(output);
    });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return { child, ready };
}

function postgresProcessesFor(dir: string): string[] {
  const ps = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
  return ps.split("\n").filter((line) => line.includes("postgres") && line.includes(path.join(dir, "pg")));
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  return exited;
}

test("serve starts the embedded PostgreSQL, SIGTERM leaves none behind, and a restart reuses the data", { timeout: 120_000 }, async () => {
  const port = await freePort();
  const first = serve(port, ["--demo"]);
  await first.ready;
  const listed = (await (await fetch(`http://127.0.0.1:${port}/api/evaluations`)).json()) as { evaluations: { slug: string; counts: { judgments: number } }[] };
  assert.equal(listed.evaluations.find((e) => e.slug === "llmfao")?.counts.judgments, 8931);
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
