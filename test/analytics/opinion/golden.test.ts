/**
 * The opinion map against Polis's own computed output (math-pca2.json) on five real conversations
 * (red-dwarf's fixtures). Note: Polis's math uses agree = -1, votes.json agree = +1, so Polis's center
 * and projections are the negatives of this project's.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { consensusStatements, groupInformedConsensus } from "../../../src/analytics/opinion/consensus.ts";
import { rowVoteCounts } from "../../../src/analytics/opinion/matrix.ts";
import { sparsePca } from "../../../src/analytics/opinion/pca.ts";
import { projectParticipants, statementExtremity } from "../../../src/analytics/opinion/projection.ts";
import { representativeStatements } from "../../../src/analytics/opinion/repness.ts";
import { selectClusterable } from "../../../src/analytics/opinion/clustering.ts";
import { readPolisGoldenCase } from "../../../src/connectors/polis/index.ts";
import { GOLDEN_CASES, unpackGoldenCase } from "./fixtures.ts";
import { cosine, matrixOf, maxDifference, polisGroups, withReconstructedVotes } from "./golden-support.ts";

function loadCase(name: string) {
  const { dir, math } = unpackGoldenCase(name);
  const raw = readPolisGoldenCase(dir);
  const conversation = name === "50ptpt-3gp-strict-no-meta" ? withReconstructedVotes(raw) : raw;
  return { math, raw, conversation, matrix: matrixOf(conversation) };
}

for (const name of GOLDEN_CASES) {
  test(`${name}: same statements, moderation and PCA as Polis`, (t) => {
    const { math, matrix, conversation } = loadCase(name);
    assert.deepEqual(matrix.statementIds, math.tids.map(String));
    const moderated = conversation.statements.filter((s) => s.moderatedOut).map((s) => s.id);
    assert.deepEqual(moderated.sort(), math["mod-out"].map(String).sort());
    const pca = sparsePca(matrix, 11);
    assert.ok(maxDifference([...pca.center], math.pca.center.map((c) => -c)) < 1e-9, "center = −Polis center");
    const cos = [0, 1].map((k) => cosine(pca.components[k as 0 | 1], math.pca.comps[k as 0 | 1]));
    t.diagnostic(`|cos| of components: ${cos.map((c) => Math.abs(c).toFixed(12)).join(", ")}`);
    for (const c of cos) assert.ok(Math.abs(c) >= 0.999, `|cos| ${c}`);
    const projections = projectParticipants(matrix, pca);
    const base = math["base-clusters"];
    const rowOf = new Map(matrix.participantIds.map((p, i) => [p, i]));
    let worst = 0;
    base.id.forEach((_, b) => {
      const rows = base.members[b]!.map((p) => rowOf.get(String(p))!);
      const x = rows.reduce((s, i) => s + projections[2 * i]!, 0) / rows.length;
      const y = rows.reduce((s, i) => s + projections[2 * i + 1]!, 0) / rows.length;
      worst = Math.max(worst, Math.abs(x + Math.sign(cos[0]!) * base.x[b]!), Math.abs(y + Math.sign(cos[1]!) * base.y[b]!));
    });
    t.diagnostic(`largest projection difference (base-cluster means, ${base.id.length} clusters): ${worst.toExponential(2)}`);
    assert.ok(worst < 1e-6);
    assert.ok(maxDifference([...statementExtremity(pca)], math.pca["comment-extremity"]) < 1e-6, "statement extremity");
  });

  test(`${name}: same representative statements, consensus and group-aware consensus given Polis's groups`, () => {
    const { math, matrix } = loadCase(name);
    const groups = polisGroups(math, matrix);
    const repness = representativeStatements(matrix, groups);
    for (const group of groups) {
      const mine = repness.get(group.id)!;
      const theirs = math.repness[String(group.id)]!;
      assert.deepEqual(mine.map((r) => [r.statement, r.repfulFor, r.bestAgree ?? false]), theirs.map((r) => [String(r.tid), r["repful-for"], r["best-agree"] ?? false]));
      mine.forEach((r, i) => {
        const g = theirs[i]!;
        assert.equal(r.nSuccess, g["n-success"]);
        assert.equal(r.nTrials, g["n-trials"]);
        assert.ok(maxDifference([r.pSuccess, r.pTest, r.repness], [g["p-success"], g["p-test"], g.repness]) < 1e-9);
        assert.ok(Math.abs(r.repnessTest - g["repness-test"]) <= 1e-6 * Math.max(1, Math.abs(g["repness-test"])), "repness-test (Polis rounds it to a float)");
      });
    }
    const consensus = consensusStatements(matrix);
    for (const side of ["agree", "disagree"] as const) {
      assert.deepEqual(consensus[side].map((c) => c.statement), math.consensus[side].map((c) => String(c.tid)));
      consensus[side].forEach((c, i) => assert.ok(Math.abs(c.pTest - math.consensus[side][i]!["p-test"]) < 1e-9));
    }
    const gac = groupInformedConsensus(matrix, groups);
    assert.ok(maxDifference([...gac], matrix.statementIds.map((id) => math["group-aware-consensus"][id]!)) < 1e-6);
  });

  test(`${name}: participants clustered are Polis's in-conv, less those kept by Polis's history`, (t) => {
    const { math, matrix } = loadCase(name);
    const mine = selectClusterable(rowVoteCounts(matrix), matrix.statementIds.length).map((i) => matrix.participantIds[i]!);
    const polis = new Set(math["in-conv"].map(String));
    assert.ok(mine.every((p) => polis.has(p)), "never clusters someone Polis left out");
    t.diagnostic(`in-conv: Polis ${polis.size}, one-shot ${mine.length} (the difference joined earlier with enough votes relative to the statements then)`);
  });
}

test("50ptpt-3gp-strict-no-meta as published (4 votes missing from votes.json) differs measurably", (t) => {
  const { math, raw } = loadCase("50ptpt-3gp-strict-no-meta");
  const pca = sparsePca(matrixOf(raw), 11);
  const cos = [0, 1].map((k) => Math.abs(cosine(pca.components[k as 0 | 1], math.pca.comps[k as 0 | 1])));
  t.diagnostic(`without participant 50's votes: |cos| ${cos.map((c) => c.toFixed(5)).join(", ")}`);
  assert.ok(cos[0]! < 0.9999 && cos[0]! > 0.99);
});
