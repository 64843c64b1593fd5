/** Real Polis exports: groups against Polis's group-id, group-informed consensus against comments.csv. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { adjustedRandIndex } from "../../../src/analytics/opinion/ari.ts";
import { groupInformedConsensus } from "../../../src/analytics/opinion/consensus.ts";
import { buildVoteMatrix } from "../../../src/analytics/opinion/matrix.ts";
import { computeOpinionMap } from "../../../src/analytics/opinion/map.ts";
import type { OpinionMap } from "../../../src/analytics/opinion/types.ts";
import { readPolisExport, readPolisGroupIds, readPolisGroupInformedConsensus, writePolisExport } from "../../../src/connectors/polis/index.ts";
import { unpackPolisExport } from "./fixtures.ts";

function ariAgainst(map: OpinionMap, polis: Map<string, string>): { ari: number; common: number } {
  const mine = new Map(map.groups.flatMap((g) => g.participants.map((p) => [p, g.id] as const)));
  const common = [...polis.keys()].filter((p) => mine.has(p));
  return { ari: adjustedRandIndex(common.map((p) => polis.get(p)!), common.map((p) => mine.get(p)!)), common: common.length };
}

const bg2050 = unpackPolisExport("bg2050-volunteers");

test("bg2050: group-informed consensus from Polis's groups equals comments.csv's column within 1e-9", () => {
  const conversation = readPolisExport(bg2050);
  const matrix = buildVoteMatrix(conversation);
  const polis = readPolisGroupIds(bg2050);
  const labels = [...new Set(polis.values())].sort();
  const rowOf = new Map(matrix.participantIds.map((p, i) => [p, i]));
  const groups = labels.map((label, id) => ({ id, members: [...polis].filter(([, g]) => g === label).map(([p]) => rowOf.get(p)!) }));
  const gic = groupInformedConsensus(matrix, groups);
  const expected = readPolisGroupInformedConsensus(bg2050);
  let worst = 0;
  matrix.statementIds.forEach((id, j) => (worst = Math.max(worst, Math.abs(gic[j]! - expected.get(id)!))));
  assert.ok(expected.size === 371 && worst < 1e-9, `largest difference ${worst}`);
});

test("bg2050: warm-started from Polis's groups (as each Polis update is), the map keeps them exactly", (t) => {
  const conversation = readPolisExport(bg2050);
  const polis = readPolisGroupIds(bg2050);
  const previousGroups = [...new Set(polis.values())].map((label) => [...polis].filter(([, g]) => g === label).map(([p]) => p));
  const warm = computeOpinionMap(conversation, { seed: 1, previousGroups });
  const { ari, common } = ariAgainst(warm, polis);
  t.diagnostic(`warm start: ARI ${ari} over ${common} of Polis's ${polis.size} grouped participants`);
  assert.equal(ari, 1);
});

test("bg2050: one-shot, Polis's k-means start gives exactly Polis's groups (k-means++ restarts did not)", (t) => {
  const conversation = readPolisExport(bg2050);
  const polis = readPolisGroupIds(bg2050);
  const oneShot = computeOpinionMap(conversation, { seed: 1 });
  const { ari, common } = ariAgainst(oneShot, polis);
  const legacy = ariAgainst(computeOpinionMap(conversation, { seed: 1, clusterInitialisation: "kmeans++" }), polis);
  t.diagnostic(`one-shot: ARI ${ari} over ${common} of Polis's ${polis.size} grouped participants; k-means++ mode: ARI ${legacy.ari.toFixed(3)}`);
  assert.equal(oneShot.groups.length, new Set(polis.values()).size);
  assert.equal(common, 108, "every participant Polis grouped, including one who is 'in' only through the conversation's history");
  assert.equal(ari, 1);
});

test("bg2050: group-informed consensus from our own one-shot groups equals comments.csv's column within 1e-9", () => {
  const map = computeOpinionMap(readPolisExport(bg2050), { seed: 1 });
  const expected = readPolisGroupInformedConsensus(bg2050);
  const worst = Math.max(...[...expected].map(([id, value]) => Math.abs((map.groupInformedConsensus[id] ?? NaN) - value)));
  assert.equal(Object.keys(map.groupInformedConsensus).length, 371);
  assert.ok(worst < 1e-9, `largest difference ${worst}`);
});

test("the map's groups do not depend on the seed (Polis's k-means start is deterministic)", () => {
  const conversation = readPolisExport(bg2050);
  const groups = (seed: number) => computeOpinionMap(conversation, { seed }).groups.map((g) => g.participants);
  assert.deepEqual(groups(1), groups(987654));
});

for (const [name, expectAtLeast] of [["scoop-hivemind.biodiversity", 0.98], ["vtaiwan.uberx", 0.92]] as const) {
  test(`${name}: adjusted Rand index against Polis's group-id (one-shot, seeds 1..3)`, (t) => {
    const dir = unpackPolisExport(name);
    const conversation = readPolisExport(dir);
    const polis = readPolisGroupIds(dir);
    for (const seed of [1, 2, 3]) {
      const map = computeOpinionMap(conversation, { seed });
      const { ari, common } = ariAgainst(map, polis);
      t.diagnostic(`seed ${seed}: k ${map.groups.length}, ARI ${ari.toFixed(3)} over ${common} participants`);
      assert.equal(map.groups.length, new Set(polis.values()).size);
      assert.ok(ari >= expectAtLeast, `ARI ${ari}`);
    }
  });
}

test("write then read a Polis export gives back the same conversation", () => {
  const conversation = readPolisExport(bg2050);
  const out = mkdtempSync(path.join(tmpdir(), "polis-roundtrip-"));
  writePolisExport(out, conversation);
  const back = readPolisExport(out);
  assert.deepEqual(back.statements.map((s) => [s.id, s.moderation, s.isMeta, s.text]), conversation.statements.map((s) => [s.id, s.moderation, s.isMeta, s.text]));
  const key = (v: { participant: string; statement: string; vote: string }) => `${v.participant}/${v.statement}/${v.vote}`;
  assert.deepEqual(new Set(back.votes.map(key)), new Set(conversation.votes.map(key)));
  assert.equal(back.votes.length, 14283);
});
