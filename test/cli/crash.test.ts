/**
 * Crash safety of the real `counterpublic serve`: judgments acknowledged under load survive a SIGKILL of the
 * app alone (its PostgreSQL orphaned, then adopted by the next start) and of the app together with
 * PostgreSQL (recovery from the write-ahead log). The same command restarts it each time, with no hand work.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { freePort } from "../../src/platform/db/embedded.ts";
import { joinAs, openEvaluation } from "../support/scenario.ts";
import type { Client } from "../support/server.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "counterpublic-crash-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function serve(port: number): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const env: NodeJS.ProcessEnv = { ...process.env, COUNTERPUBLIC_RATE_LIMIT: "1000000", COUNTERPUBLIC_LOG_LEVEL: "error" };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ["bin/counterpublic.js", "serve", "--port", String(port), "--data-dir", dataDir], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("is serving on")) resolve();
    });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code, signal) => reject(new Error(`serve exited (${code ?? signal}): ${output}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, output: () => output };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** Like pulling the plug: the killed process is really gone (reaped) before the restart. */
async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
      const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2];
      if (state === "Z") return;
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function postmasterPid(): number {
  return Number(readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
}

/** Judges as fast as the participants can until `stop` resolves; returns the ids the server acknowledged. */
async function judgeUntil(participants: Client[], slug: string, stop: Promise<void>): Promise<string[]> {
  const acknowledged: string[] = [];
  let stopping = false;
  void stop.then(() => (stopping = true));
  await Promise.all(
    participants.map(async (participant) => {
      while (!stopping) {
        try {
          const task = await participant.post<{ token: string }>(`/api/evaluations/${slug}/assignments`, { mode: "pairwise" });
          if (task.status !== 201) break;
          const judged = await participant.post<{ judgment: { id: string } }>(`/api/evaluations/${slug}/assignments/${task.body.token}/judgment`, { judgment: { kind: "pairwise", outcome: "a" } });
          if (judged.status === 201) acknowledged.push(judged.body.judgment.id);
        } catch {
          break; // the connection died with the server: what was not acknowledged does not count
        }
      }
    }),
  );
  return acknowledged;
}

async function storedIds(participants: Client[], slug: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const participant of participants) {
    const mine = await participant.get<{ judgments: { id: string }[] }>(`/api/evaluations/${slug}/me/judgments`);
    assert.equal(mine.status, 200, JSON.stringify(mine.body).slice(0, 300));
    for (const judgment of mine.body.judgments) ids.add(judgment.id);
  }
  return ids;
}

test("every acknowledged judgment survives kill -9 of the app, then of the app and PostgreSQL, and the same command restarts", { timeout: 300_000 }, async () => {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let server = serve(port);
  await server.ready;
  const prompts = Array.from({ length: 40 }, (_, i) => `Question ${i + 1}: how do I appeal a decision?`);
  const scenario = await openEvaluation(baseUrl, {}, prompts);
  const participants = await Promise.all(Array.from({ length: 8 }, () => joinAs(baseUrl, scenario, ["aggregate"])));

  const crashes: { name: string; alsoPostgres: boolean }[] = [
    { name: "the app alone", alsoPostgres: false },
    { name: "the app and PostgreSQL", alsoPostgres: true },
  ];
  const acknowledged: string[] = [];
  for (const crash of crashes) {
    const pgPid = postmasterPid();
    const stop = new Promise<void>((resolve) => setTimeout(resolve, 1500));
    const load = judgeUntil(participants, scenario.slug, stop.then(() => killed(server.child)).then(() => undefined));
    await stop;
    if (crash.alsoPostgres) {
      process.kill(pgPid, "SIGKILL");
      await gone(pgPid);
    }
    const done = await load;
    assert.ok(done.length > 0, `judgments were acknowledged before the crash of ${crash.name}`);
    acknowledged.push(...done);
    server = serve(port);
    await server.ready;
    const stored = await storedIds(participants, scenario.slug);
    const missing = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(missing, [], `after killing ${crash.name}, ${missing.length} of ${acknowledged.length} acknowledged judgments are missing`);
    if (!crash.alsoPostgres) assert.match(server.output(), /adopting it/, "the orphaned PostgreSQL was adopted, not fought over");
  }
  process.stdout.write(`# crash: ${acknowledged.length} acknowledged judgments, all stored after both crashes\n`);
  const exit = new Promise<number | null>((resolve) => server.child.on("exit", (code) => resolve(code)));
  server.child.kill("SIGTERM");
  assert.equal(await exit, 0);
});
