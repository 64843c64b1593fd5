/**
 * A process manager that runs `npm start` and stops it with SIGTERM to the PID it started must leave
 * nothing behind: npm signals its child, and the start script `exec`s node so that child is the server.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { freePort } from "../../src/platform/db/embedded.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "counterpublic-npm-start-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** Live (non-zombie) processes: pid → parent pid and command line. */
function processes(): Map<number, { ppid: number; args: string }> {
  const table = new Map<number, { ppid: number; args: string }>();
  for (const line of execFileSync("ps", ["-eo", "pid=,ppid=,stat=,args="], { encoding: "utf8" }).split("\n")) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (match && !match[3]?.startsWith("Z")) table.set(Number(match[1]), { ppid: Number(match[2]), args: match[4] ?? "" });
  }
  return table;
}

function descendants(root: number): Map<number, string> {
  const table = processes();
  const found = new Map<number, string>();
  const walk = (pid: number) => {
    for (const [child, { ppid, args }] of table) {
      if (ppid === pid && !found.has(child)) {
        found.set(child, args);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

test("the start script is a single exec of the server, as the README tells process managers", () => {
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
  assert.equal(manifest.scripts.start, "exec node bin/counterpublic.js serve --demo");
});

test("SIGTERM to the PID of `npm start` stops node and PostgreSQL", { timeout: 180_000 }, async () => {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), COUNTERPUBLIC_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const npm = spawn("npm", ["start"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    npm.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("is serving on")) resolve();
    });
    npm.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    npm.on("exit", (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
  });
  const started = descendants(npm.pid ?? -1);
  const args = [...started.values()];
  assert.ok(args.some((a) => a.startsWith("node bin/counterpublic.js serve")), `the server runs under npm: ${args.join(" | ")}`);
  assert.ok(args.some((a) => a.includes("postgres") && a.includes(dataDir)), "PostgreSQL runs under it");
  assert.ok(!args.some((a) => /^(\/bin\/)?sh -c/.test(a)), "no shell stands between npm and node");

  const exit = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
  npm.kill("SIGTERM");
  assert.equal(await exit, 0, output);
  const deadline = Date.now() + 10_000;
  let left = [...started.keys()].filter((pid) => processes().has(pid));
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = [...started.keys()].filter((pid) => processes().has(pid));
  }
  assert.deepEqual(left.map((pid) => started.get(pid)), [], "no node or postgres process is left");
  assert.match(output, /SIGTERM: stopping[\s\S]*stopped/);
});
