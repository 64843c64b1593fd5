/** What participants see of assignments and of their own judgments: positions and texts, subjects only once judged. */
import { applicableRubric, type RubricDimension } from "../../core/charter.ts";
import type { Phase } from "../../core/evaluation.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import { latestCharter } from "../../platform/records.ts";
import { findItem, responsesByIds, type ItemRow, type ResponseRow } from "../evaluations/item-queries.ts";
import { judgmentHistory, type AssignmentRow, type PublicJudgmentRow } from "./queries.ts";
import { subjectsByIds } from "../evaluations/subject-queries.ts";
import { type Services } from "../../platform/context.ts";
import { requireEvaluation, requireParticipant, type Actor } from "../../platform/guards.ts";

export type AssignmentMode = AssignmentRow["mode"];
export const POSITION_KEYS = ["a", "b", "c", "d", "e"] as const;

export function useCaseOf(item: ItemRow | undefined): string | null {
  const useCase = item?.scenario?.useCase;
  return typeof useCase === "string" ? useCase : null;
}

/** What a participant sees: the item and anonymous responses keyed by position, never the subjects. */
export interface AssignmentView {
  token: string;
  mode: AssignmentMode;
  item: { id: string; title: string; prompt: string; scenario: Record<string, unknown> | null };
  responses: { key: string; text: string }[];
  /** rating assignments: the rubric dimensions that apply to this item (general ones and its use case's) */
  rubric: RubricDimension[] | null;
  servedAt: Date;
}

export async function viewOf(db: Queryable, assignment: AssignmentRow): Promise<AssignmentView> {
  const item = await findItem(db, assignment.evaluation_id, assignment.item_id);
  const responses = await responsesByIds(db, assignment.evaluation_id, assignment.response_ids);
  const charter = assignment.mode === "rating" ? await latestCharter(db, assignment.evaluation_id) : undefined;
  return {
    token: assignment.token,
    mode: assignment.mode,
    item: { id: assignment.item_id, title: item?.title ?? "", prompt: item?.prompt ?? "", scenario: item?.scenario ?? null },
    responses: responses.map((r, i) => ({ key: POSITION_KEYS[i] ?? String(i), text: r.text })),
    rubric: charter ? applicableRubric(charter.content.rubric, useCaseOf(item)) : null,
    servedAt: assignment.served_at,
  };
}

export async function reveal(db: Queryable, responses: readonly ResponseRow[]) {
  const subjects = await subjectsByIds(db, responses.map((r) => r.subject_id));
  return responses.map((r, i) => {
    const subject = subjects.get(r.subject_id);
    return { key: POSITION_KEYS[i] ?? String(i), subject: subject ? { id: subject.id, name: subject.name, kind: subject.kind, organisation: subject.organisation } : null };
  });
}

export function publicJudgment(j: PublicJudgmentRow) {
  return {
    id: j.id,
    kind: j.kind,
    body: j.body,
    itemId: j.item_id,
    rationale: j.rationale,
    phase: j.phase as Phase,
    charterVersion: j.charter_version,
    consentScopes: j.consent_scopes,
    revises: j.revises,
    isCurrent: j.is_current,
    timeOnTaskMs: j.time_on_task_ms,
    createdAt: j.created_at,
  };
}

/** A participant's own judgments, every version, with the item and the (now revealed) responses. */
export async function myJudgments(s: Services, actor: Actor, idOrSlug: string) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  const participant = await requireParticipant(s.pool, evaluation.id, actor);
  const judgments = await judgmentHistory(s.pool, participant.id);
  const out = [];
  for (const j of judgments) {
    const item = j.item_id ? await findItem(s.pool, evaluation.id, j.item_id) : undefined;
    const responses = await responsesByIds(s.pool, evaluation.id, j.response_ids);
    out.push({
      ...publicJudgment(j),
      item: item ? { id: item.id, title: item.title, prompt: item.prompt } : null,
      responses: (await reveal(s.pool, responses)).map((r, i) => ({ ...r, text: responses[i]?.text ?? "" })),
    });
  }
  return { judgments: out };
}
