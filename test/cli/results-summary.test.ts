import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { computeResults } from "../../src/modules/results/service.ts";
import { ensureDemo } from "../../src/modules/demo/service.ts";
import { NOBODY } from "../../src/platform/guards.ts";
import { testDatabase } from "../support/db.ts";

let db: Awaited<ReturnType<typeof testDatabase>>;
before(async () => {
  db = await testDatabase();
  await ensureDemo({ pool: db.pool });
});
after(async () => db.close());

const cli = (...args: string[]) => spawnSync(process.execPath, ["bin/counterpublic.js", ...args], { env: { ...process.env, DATABASE_URL: db.url }, encoding: "utf8" });

test("`counterpublic results` and the card say the same plain-words summary as the results API", async () => {
  const expected = (await computeResults({ pool: db.pool }, NOBODY, "llmfao", { seed: 0 })).summary.text;
  const printed = cli("results", "llmfao");
  assert.equal(printed.status, 0, printed.stderr);
  const block = printed.stdout.split("In plain words:\n")[1]?.split("\n\n")[0] ?? "";
  assert.deepEqual(block.split("\n").map((line) => line.trim()), expected);
  const card = cli("card", "llmfao", "--json");
  assert.equal(card.status, 0, card.stderr);
  const parsed = JSON.parse(card.stdout) as { card: { summary?: string[] } };
  // the card computes the charter's rules only; its lead sentence (Bradley–Terry's tiers) is the same
  assert.equal(parsed.card.summary?.[0], expected[0]);
  const markdown = cli("card", "llmfao");
  assert.match(markdown.stdout, /### In plain words\n\n- \d+ subjects share the lead under Bradley–Terry/);
});
