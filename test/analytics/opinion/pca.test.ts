/** Sparse PCA against a dense reference computed independently (ml-pca on the imputed matrix). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { PCA } from "ml-pca";
import { buildVoteMatrix } from "../../../src/analytics/opinion/matrix.ts";
import { sparsePca } from "../../../src/analytics/opinion/pca.ts";
import { seededRandom } from "../../../src/analytics/opinion/prng.ts";
import type { OpinionConversation, Vote } from "../../../src/analytics/opinion/types.ts";
import { cosine } from "./golden-support.ts";

function randomConversation(seed: number, participants: number, statements: number, density: number): OpinionConversation {
  const random = seededRandom(seed);
  const votes: { participant: string; statement: string; vote: Vote }[] = [];
  for (let i = 0; i < participants; i++) {
    const side = i % 2 === 0 ? 1 : -1;
    for (let j = 0; j < statements; j++) {
      if (random() > density) continue;
      const lean = side * (j % 3 === 0 ? 0.6 : -0.3) + (random() - 0.5);
      votes.push({ participant: `p${i}`, statement: `s${j}`, vote: lean > 0.2 ? "agree" : lean < -0.2 ? "disagree" : "pass" });
    }
  }
  return {
    statements: Array.from({ length: statements }, (_, j) => ({ id: `s${j}`, moderatedOut: j === 4, isMeta: false })),
    participants: Array.from({ length: participants }, (_, i) => `p${i}`),
    votes,
  };
}

test("components and center match a dense PCA of the mean-imputed matrix", () => {
  const conversation = randomConversation(3, 80, 30, 0.4);
  const matrix = buildVoteMatrix(conversation);
  const sparse = sparsePca(matrix, 1);
  const dense = matrix.participantIds.map(() => matrix.statementIds.map((_, j) => sparse.center[j]!));
  matrix.participantIds.forEach((_, i) => {
    for (let k = matrix.rowStart[i]!; k < matrix.rowStart[i + 1]!; k++) {
      const j = matrix.column[k]!;
      if (!matrix.moderatedOut[j]) dense[i]![j] = matrix.value[k]!;
    }
  });
  const reference = new PCA(dense, { center: true, scale: false });
  const loadings = reference.getLoadings().to2DArray();
  for (const k of [0, 1] as const) assert.ok(Math.abs(cosine(sparse.components[k], loadings[k]!)) > 0.999999, `component ${k}`);
});

test("same data, any seed: same components after canonical sign", () => {
  const matrix = buildVoteMatrix(randomConversation(8, 60, 25, 0.5));
  const a = sparsePca(matrix, 1);
  const b = sparsePca(matrix, 99);
  for (const k of [0, 1] as const) {
    a.components[k].forEach((x, j) => assert.ok(Math.abs(x - b.components[k][j]!) < 1e-8));
    const largest = a.components[k].reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
    assert.ok(largest > 0, "largest loading is positive");
  }
});
