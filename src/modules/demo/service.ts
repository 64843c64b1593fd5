import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCharter } from "../../core/charter.ts";
import { readLlmfaoFolder } from "../../connectors/formats/llmfao.ts";
import { llmfaoBatch } from "../../connectors/importers/llmfao.ts";
import { inTransaction } from "../../platform/db/pool.ts";
import { insertCharter, insertEvaluation, listEvaluationsWithCounts, updateEvaluationState } from "../evaluations/queries.ts";
import { findEvaluation } from "../../platform/records.ts";
import { insertStatement, listStatements } from "../deliberation/statement-queries.ts";
import { insertInvitation, lockInvitation } from "../participation/queries.ts";
import { charterHash } from "../evaluations/service.ts";
import { importBatch } from "../imports/service.ts";
import type { Services } from "../../platform/context.ts";
import { ensurePolisDemo } from "./polis-demo.ts";
import { ensureDemoSamples } from "./samples.ts";

export const DEMO_SLUG = "llmfao";
export const DEMO_INVITATION = "llmfao-demo";
export const DEMO_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../data/demo/llmfao");

const DEMO_CHARTER = parseCharter({
  purpose:
    "Compare how 70 language models answer 19 everyday and technical prompts, and decide together what a good answer is. " +
    "The 8,931 judgments already here are real crowd comparisons from the LLMFAO study; your own judgments, discussion and dissent join them.",
  sponsor: "Counterpublic demo (data: LLMFAO by Dmitry Ustalov and llmonitor.com, CC BY 4.0)",
  beneficiaries: "Anyone choosing or governing a language model; the participants, who keep control of what they contribute.",
  scopes: ["aggregate", "publish", "research", "train_ai", "commercial"],
  pay: { ratePerHour: 0, currency: "USD", volunteer: true },
  kAnonymity: 10,
  languages: ["en", "es", "ar"],
  participantItems: "moderated",
  // A demo is for trying: "Take part" on the home page joins, no invitation needed.
  openParticipation: true,
});

/**
 * The organiser's opening statements for deliberation, drawn from the criteria the LLMFAO crowd was given
 * (relevance, coherence, grammatical correctness, completeness; crowd-instruction.md): participants vote on
 * them and write their own.
 */
export const DEMO_STATEMENTS = [
  "An answer that is relevant to the prompt matters more than one that is polished.",
  "Grammatical mistakes should count against an answer even when its content is right.",
  "A short answer that is correct is better than a long one that covers everything.",
  "Comparing two answers at a time is a fair way to judge which model is better.",
  "A model that refuses to answer should lose, whatever the reason for refusing.",
  "Judging answers without knowing which company made the model makes the results fairer.",
];

/** Builds the demo evaluation from the vendored LLMFAO data. Idempotent: a second run changes nothing. */
export async function ensureDemo(s: Services, dataDir = DEMO_DATA_DIR) {
  const existing = await findEvaluation(s.pool, DEMO_SLUG);
  if (!existing) {
    await inTransaction(s.pool, async (db) => {
      const evaluation = await insertEvaluation(db, {
        slug: DEMO_SLUG,
        title: "Which answer is better? 70 language models on 19 prompts",
        question: "Which response answers the prompt better — and is this the right way to ask?",
        createdBy: null,
      });
      await insertCharter(db, evaluation.id, 1, DEMO_CHARTER, charterHash(DEMO_CHARTER));
      await updateEvaluationState(db, evaluation.id, { status: "open" });
    });
  }
  const counts = (await listEvaluationsWithCounts(s.pool, null)).find((e) => e.slug === DEMO_SLUG);
  if (counts && counts.counts.judgments === 0) await importBatch(s, DEMO_SLUG, llmfaoBatch(readLlmfaoFolder(dataDir)));
  const evaluation = await findEvaluation(s.pool, DEMO_SLUG);
  await inTransaction(s.pool, async (db) => {
    if (evaluation && !(await lockInvitation(db, DEMO_INVITATION))) {
      await insertInvitation(db, { token: DEMO_INVITATION, evaluationId: evaluation.id, role: "participant", maxUses: null, expiresAt: null });
    }
    if (evaluation && (await listStatements(db, evaluation.id)).length === 0) {
      for (const text of DEMO_STATEMENTS) {
        await insertStatement(db, { evaluationId: evaluation.id, text, authorRole: "organiser", authorParticipantId: null, moderation: "accepted" });
      }
    }
  });
  await ensureDemoSamples(s, DEMO_SLUG, DEMO_INVITATION);
  await ensurePolisDemo(s);
  return (await listEvaluationsWithCounts(s.pool, null)).find((e) => e.slug === DEMO_SLUG);
}
