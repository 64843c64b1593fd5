/** Evaluation rows as the API answers them: camelCase, only the fields the contract names. */
import type { z } from "zod";
import type * as api from "../../contract/evaluations.ts";
import type { CharterRow, EvaluationRow } from "../../platform/records.ts";
import type { InvitationRow } from "../participation/queries.ts";
import type { ItemRow, ResponseRow } from "./item-queries.ts";
import type { ProgressRow } from "./progress-queries.ts";
import type { SubjectRow } from "./subject-queries.ts";

type In<T extends z.ZodType> = z.input<T>;

export function presentEvaluation(row: EvaluationRow): In<typeof api.evaluation> {
  return { id: row.id, slug: row.slug, title: row.title, question: row.question, status: row.status, phase: row.phase, createdAt: row.created_at };
}

export function presentCharter(row: CharterRow): In<typeof api.charterVersion> {
  return { version: row.version, content: row.content, contentHash: row.content_hash, createdAt: row.created_at };
}

export function presentSubject(row: SubjectRow): In<typeof api.subject> {
  const { unavailable_reason, ...rest } = row;
  return { ...rest, unavailableReason: unavailable_reason };
}

export function presentItem(row: ItemRow): In<typeof api.item> {
  return {
    id: row.id,
    evaluationId: row.evaluation_id,
    externalRef: row.external_ref,
    title: row.title,
    prompt: row.prompt,
    scenario: row.scenario,
    moderation: row.moderation,
    authorParticipantId: row.author_participant_id,
  };
}

export function presentResponse(row: ResponseRow): In<typeof api.response> {
  return { id: row.id, itemId: row.item_id, subjectId: row.subject_id, text: row.text, meta: row.meta, identityLeak: row.identity_leak };
}

export function presentInvitation(row: InvitationRow): In<typeof api.invitation> {
  return { token: row.token, evaluationId: row.evaluation_id, role: row.role, maxUses: row.max_uses, uses: row.uses, expiresAt: row.expires_at };
}

export function presentProgressCounts(row: ProgressRow): In<typeof api.progress>["counts"] {
  const { open_assignments, available_subjects, pending_items, ...rest } = row;
  return { ...rest, openAssignments: open_assignments, availableSubjects: available_subjects, pendingItems: pending_items };
}
