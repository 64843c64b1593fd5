/**
 * The second demo: a real public Polis conversation (bg2050-volunteers, CC BY 4.0, see data/demo/polis-bg2050/NOTICE.md)
 * with its statements, its 126 voters' votes and so an opinion map on first start. Its voters become pseudonymous
 * participants with the consent the open-data licence gives (counting, publishing, research).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parseCharter } from "../../core/charter.ts";
import { inTransaction } from "../../platform/db/pool.ts";
import { findEvaluation } from "../../platform/records.ts";
import type { Services } from "../../platform/context.ts";
import { parsePolisUpload, storeConversation } from "../deliberation/import-service.ts";
import { setModerationMode } from "../deliberation/statement-queries.ts";
import { insertCharter, insertEvaluation, updateEvaluationState } from "../evaluations/queries.ts";
import { charterHash } from "../evaluations/service.ts";
import { insertInvitation, lockInvitation } from "../participation/queries.ts";

export const POLIS_DEMO_SLUG = "bg2050";
export const POLIS_DEMO_INVITATION = "bg2050-demo";
export const POLIS_DEMO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../data/demo/polis-bg2050");

export const POLIS_ATTRIBUTION =
  "Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project: https://pol.is/3nemnipcrc";

const POLIS_CHARTER = parseCharter({
  purpose:
    "A real public Polis conversation, “Together, we'll build the BG of 2050.” (Bowling Green, Kentucky, 2024): 126 residents wrote and voted on statements about their town's future. " +
    "It is here so that statements, votes and the opinion map can be seen on first start; you can vote and write statements too. " +
    POLIS_ATTRIBUTION,
  sponsor: "Counterpublic demo (data: Polis open data, bg2050-volunteers, CC BY 4.0, The Computational Democracy Project)",
  beneficiaries: "Anyone who wants to see how a deliberation maps agreement and disagreement.",
  scopes: ["aggregate", "publish", "research"],
  pay: { ratePerHour: 0, currency: "USD", volunteer: true },
  kAnonymity: 10,
  languages: ["en", "es", "ar"],
  participantItems: "moderated",
  // a newcomer takes part from the home page: the demo has no organiser to hand out invitations
  openParticipation: true,
});

const read = (dir: string, file: string) => gunzipSync(readFileSync(path.join(dir, file))).toString("utf8");

/** Builds the Polis demo evaluation once; a second run changes nothing. */
export async function ensurePolisDemo(s: Services, dir = POLIS_DEMO_DIR): Promise<void> {
  if (!(await findEvaluation(s.pool, POLIS_DEMO_SLUG))) {
    const conversation = parsePolisUpload({ comments: read(dir, "comments.csv.gz"), votes: read(dir, "votes.csv.gz") });
    await inTransaction(s.pool, async (db) => {
      const evaluation = await insertEvaluation(db, {
        slug: POLIS_DEMO_SLUG,
        title: "What should Bowling Green be in 2050? A real Polis conversation",
        question: "What would you want to see in the Bowling Green of the future?",
        createdBy: null,
      });
      await insertCharter(db, evaluation.id, 1, POLIS_CHARTER, charterHash(POLIS_CHARTER));
      await storeConversation(db, evaluation.id, conversation, ["aggregate", "publish", "research"]);
      // new statements are shown at once (the organiser can still remove them): none waits for a moderator
      await setModerationMode(db, evaluation.id, "permissive");
      await updateEvaluationState(db, evaluation.id, { status: "open", phase: "deliberate" });
    });
  }
  const evaluation = await findEvaluation(s.pool, POLIS_DEMO_SLUG);
  await inTransaction(s.pool, async (db) => {
    if (evaluation && !(await lockInvitation(db, POLIS_DEMO_INVITATION))) {
      await insertInvitation(db, { token: POLIS_DEMO_INVITATION, evaluationId: evaluation.id, role: "participant", maxUses: null, expiresAt: null });
    }
  });
}
