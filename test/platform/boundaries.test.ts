/**
 * The layer rules in eslint.config.js (DESIGN.md) really bite: plant a file that imports across a
 * boundary, lint only that file through the ESLint Node API, and expect the boundary rule to name it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

interface Finding {
  readonly ruleId: string | null;
  readonly message: string;
}

/** Writes `source` to `<dir>/__planted-<random>.ts` under the repository, lints it alone, deletes it. */
async function lintPlanted(dir: string, source: string): Promise<Finding[]> {
  const file = path.join(ROOT, dir, `__planted-${randomBytes(6).toString("hex")}.ts`);
  try {
    writeFileSync(file, source);
    const [result] = await eslint.lintFiles([file]);
    assert.ok(result, "eslint returned no result for the planted file");
    return result.messages.map(({ ruleId, message }) => ({ ruleId, message }));
  } finally {
    rmSync(file, { force: true });
  }
}

function rules(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.ruleId ?? `(fatal) ${f.message}`);
}

test("core may not import platform", async () => {
  const findings = await lintPlanted("src/core", `import type { Pool } from "../platform/db/pool.ts";\nexport type Planted = Pool;\n`);
  const boundary = findings.filter((f) => f.ruleId === "boundaries/dependencies");
  assert.equal(boundary.length, 1, JSON.stringify(findings));
  assert.match(boundary[0]?.message ?? "", /"core".*"platform"/);
});

test("web may not import a module's service, from a nested folder too", async () => {
  const findings = await lintPlanted("src/web/results", `import { exportEvaluation } from "../../modules/exports/service.ts";\nexport const planted = exportEvaluation;\n`);
  const boundary = findings.filter((f) => f.ruleId === "boundaries/dependencies");
  assert.equal(boundary.length, 1, JSON.stringify(findings));
  assert.match(boundary[0]?.message ?? "", /"web".*"module"/);
});

test("platform may not import modules", async () => {
  const findings = await lintPlanted("src/platform/http", `import type { ImportSummary } from "../../modules/imports/service.ts";\nexport type Planted = ImportSummary;\n`);
  assert.ok(rules(findings).includes("boundaries/dependencies"), JSON.stringify(findings));
});

test("analytics stays pure at any depth: no node:*, no Math.random, no Date.now", async () => {
  const findings = await lintPlanted(
    "src/analytics/results",
    `import { readFileSync } from "node:fs";\nexport const planted = (): number => Math.random() + Date.now() + readFileSync.length;\n`,
  );
  const found = rules(findings);
  assert.ok(found.includes("no-restricted-imports"), JSON.stringify(findings));
  assert.equal(found.filter((r) => r === "no-restricted-properties").length, 2, JSON.stringify(findings));
});

test("legal imports pass: a module uses core and platform, web uses contract and core", async () => {
  assert.deepEqual(
    rules(await lintPlanted("src/modules/card", `import { AppError } from "../../core/errors.ts";\nimport type { Pool } from "../../platform/db/pool.ts";\nexport type Planted = [AppError, Pool];\n`)),
    [],
  );
  assert.deepEqual(
    rules(await lintPlanted("src/web/results", `import { UPLOAD_LIMIT_BYTES } from "../../contract/requests.ts";\nimport type { AppError } from "../../core/errors.ts";\nexport const planted: [number, AppError | null] = [UPLOAD_LIMIT_BYTES, null];\n`)),
    [],
  );
});
