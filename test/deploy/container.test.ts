/**
 * Docker cannot run in the test environment, so the image is held to the commands the suite runs:
 * the same install-and-build scripts, the same server command, and files that the build produces.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { parse as parseYaml } from "yaml";

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n\s*/g, " ");
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

const dockerfile = instructions(readFileSync("Dockerfile", "utf8"));
const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
const stages = dockerfile.reduce<Instruction[][]>((all, i) => (i.keyword === "FROM" ? [...all, [i]] : [...all.slice(0, -1), [...(all.at(-1) ?? []), i]]), []);

test("the image builds with the scripts the test suite runs", () => {
  assert.equal(stages.length, 2, "a build stage and a runtime stage");
  const [build = [], runtime = []] = stages;
  assert.equal(build[0]?.args, "node:20-bookworm-slim AS build");
  assert.equal(runtime[0]?.args, "node:20-bookworm-slim");
  const runs = build.filter((i) => i.keyword === "RUN").map((i) => i.args);
  assert.ok(runs.some((r) => /^npm ci\b/.test(r) && !r.includes("--ignore-scripts")), "npm ci, which runs prepare");
  assert.equal(scripts.prepare, "npm run build", "prepare is the build");
  assert.match(scripts.test ?? "", /&& npm run build &&/, "npm test builds the same way before testing");
  assert.ok(runs.some((r) => r.startsWith("npm prune --omit=dev")), "dev dependencies are pruned");
});

test("the runtime stage runs the built server as a non-root user, with a health check on /healthz", () => {
  const runtime = stages[1] ?? [];
  const user = runtime.filter((i) => i.keyword === "USER").at(-1)?.args;
  assert.ok(user && user !== "root" && user !== "0", `runs as ${user}`);
  assert.match(runtime.find((i) => i.keyword === "HEALTHCHECK")?.args ?? "", /\/healthz/);
  const cmd = JSON.parse(runtime.find((i) => i.keyword === "CMD")?.args ?? "[]") as string[];
  assert.deepEqual(cmd, ["node", "bin/counterpublic.js", "serve", "--host", "0.0.0.0"]);
  assert.ok(scripts.start?.startsWith(`exec ${cmd.slice(0, 3).join(" ")}`), "npm start runs the same server command");
  for (const copy of runtime.filter((i) => i.keyword === "COPY" && i.args.startsWith("--from=build"))) {
    for (const source of copy.args.split(/\s+/).slice(1, -1)) {
      const local = source.replace(/^\/app\//, "");
      assert.ok(existsSync(local), `${local} exists after npm run build`);
    }
  }
  assert.ok(existsSync("dist/cli/main.js") && existsSync("dist/platform/db/migrations/0001_core.sql"), "the build holds the CLI and the migrations");
});

test(".dockerignore keeps host builds and data out of the image", () => {
  const ignored = readFileSync(".dockerignore", "utf8").split(/\r?\n/).map((l) => l.trim());
  for (const entry of ["node_modules", "dist", "web-dist", ".counterpublic", ".git"]) assert.ok(ignored.includes(entry), entry);
});

test("compose runs Counterpublic against postgres:17 with a named volume and its three settings", () => {
  const compose = parseYaml(readFileSync("compose.yaml", "utf8")) as {
    services: Record<string, { image?: string; build?: string; volumes?: string[]; environment?: Record<string, string> }>;
    volumes: Record<string, unknown>;
  };
  const db = compose.services.postgres;
  assert.equal(db?.image, "postgres:17");
  const volume = db?.volumes?.[0]?.split(":")[0] ?? "";
  assert.ok(volume in compose.volumes, `the data lives in the named volume ${volume}`);
  const app = compose.services.counterpublic;
  assert.equal(app?.build, ".");
  for (const name of ["DATABASE_URL", "COUNTERPUBLIC_SECRET", "COUNTERPUBLIC_URL"]) assert.ok(app?.environment?.[name], name);
  assert.match(app?.environment?.DATABASE_URL ?? "", /@postgres:5432\/counterpublic$/);
});
