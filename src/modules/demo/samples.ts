/**
 * Samples for the LLMFAO demo, so that a newcomer sees deliberation and governance at work: a proposal, a demand
 * and a minority report, each made through the same services as a participant's, by a demo participant, and
 * each saying it is a sample. The demo's organiser (a demo account) holds the organiser role, so moderation has
 * someone to do it; new statements are shown at once (permissive mode) rather than waiting for them.
 */
import { nowOf, type Services } from "../../platform/context.ts";
import type { Actor } from "../../platform/guards.ts";
import { findEvaluation, findParticipantByUser } from "../../platform/records.ts";
import { setModerationMode } from "../deliberation/statement-queries.ts";
import { makeDemand, writeMinorityReport } from "../dissent/service.ts";
import { grantRole } from "../evaluations/queries.ts";
import { createProposal } from "../governance/service.ts";
import { joinWithInvitation, setConsent } from "../participation/service.ts";
import { ensureDemoUser } from "./queries.ts";

export const DEMO_ORGANISER_ID = "counterpublic-demo-organiser";
export const DEMO_SAMPLE_ID = "counterpublic-demo-sample";
const DAY_MS = 86_400_000;

export const SAMPLE_NOTE = "This is a sample, made when the demo was built to show what one looks like; no real participant wrote it.";

export async function ensureDemoSamples(s: Services, slug: string, invitation: string): Promise<void> {
  const evaluation = await findEvaluation(s.pool, slug);
  if (!evaluation) return;
  await ensureDemoUser(s.pool, DEMO_ORGANISER_ID, "Counterpublic demo organiser", false);
  await grantRole(s.pool, evaluation.id, DEMO_ORGANISER_ID, "organiser");
  await setModerationMode(s.pool, evaluation.id, "permissive");
  await ensureDemoUser(s.pool, DEMO_SAMPLE_ID, "Demo sample participant", true);
  if (await findParticipantByUser(s.pool, evaluation.id, DEMO_SAMPLE_ID)) return;
  const sample: Actor = { userId: DEMO_SAMPLE_ID, isAnonymous: true };
  await joinWithInvitation(s, sample, invitation, ["demo"]);
  await setConsent(s, sample, slug, ["aggregate"]);
  await createProposal(s, sample, slug, {
    kind: "custom",
    title: "Sample proposal: publish the reasons people give for abstaining",
    description: `${SAMPLE_NOTE} It asks the community to publish, beside the results, every reason for abstaining that at least k people gave.`,
    deadline: new Date(nowOf(s).getTime() + 14 * DAY_MS),
  });
  await makeDemand(s, sample, slug, {
    title: "Sample demand: say which models will be retired, and when",
    text: `${SAMPLE_NOTE} The sponsor is asked to answer publicly which of the compared models it will stop offering, and on what date.`,
  });
  await writeMinorityReport(s, sample, slug, {
    title: "Sample minority report: fluent is not the same as correct",
    text: `${SAMPLE_NOTE}\n\nSome of us judged that several top-ranked answers read well but were wrong on the facts; the ranking rewards fluency, and we disagree with reading it as a ranking of correctness.`,
  });
}
