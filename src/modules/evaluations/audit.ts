/**
 * The organiser-action audit log: every action that changes an evaluation (state, subjects, items,
 * responses, invitations, endpoints, imports, exports, moderation, demand answers and progress, payouts)
 * is recorded here, by `recordAudit`, in the same transaction as the action. Organisers and observers read
 * it newest first (GET /api/evaluations/:id/audit-log). Details hold ids, counts and choices, never
 * secrets (no API keys, no invitation tokens, no uploaded content).
 */
import type { Queryable } from "../../platform/db/pool.ts";
import { requireReader, requireRole, type Actor } from "../../platform/guards.ts";
import type { Services } from "../../platform/context.ts";

export const AUDIT_ACTIONS = [
  "evaluation.created",
  "evaluation.state_changed",
  "subject.added",
  "item.added",
  "response.added",
  "invitation.created",
  "endpoint.set",
  "import.judgments",
  "import.polis",
  "export.created",
  "export.notice_recorded",
  "deliberation.settings_changed",
  "post.moderated",
  "statement.moderated",
  "demand.answered",
  "demand.progress",
  "demand.milestone",
  "payout.recorded",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditDetail = Record<string, string | number | boolean | null | readonly string[]>;

/** Who did it: a signed-in account, or the operator at the server's command line. */
export type AuditActor = Actor | { readonly operator: string };

/** Records one organiser action; call it with the action's own transaction client. */
export async function recordAudit(db: Queryable, evaluationId: string, actor: AuditActor, action: AuditAction, target: string | null, detail: AuditDetail = {}): Promise<void> {
  const userId = "operator" in actor ? null : actor.userId;
  const fallbackName = "operator" in actor ? `operator: ${actor.operator}` : "";
  await db.query(
    `INSERT INTO audit_log (evaluation_id, actor_user_id, actor_name, action, target, detail)
     VALUES ($1, $2, coalesce((SELECT name FROM "user" WHERE id = $2), $3), $4, $5, $6)`,
    [evaluationId, userId, fallbackName, action, target, JSON.stringify(detail)],
  );
}

export interface AuditRow {
  id: number;
  actor_user_id: string | null;
  actor_name: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
  at: Date;
}

export const AUDIT_PAGE_MAX = 200;

/** Newest first; `before` is the id of the last entry of the previous page. */
export async function readAuditLog(s: Services, actor: Actor, idOrSlug: string, page: { limit?: number | undefined; before?: number | undefined }) {
  const { evaluation } = await requireReader(s.pool, idOrSlug, actor);
  await requireRole(s.pool, evaluation.id, actor, ["organiser", "observer"]);
  const limit = Math.min(page.limit ?? 50, AUDIT_PAGE_MAX);
  const { rows } = await s.pool.query<AuditRow>(
    `SELECT id, actor_user_id, actor_name, action, target, detail, at FROM audit_log
      WHERE evaluation_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [evaluation.id, page.before ?? null, limit + 1],
  );
  const entries = rows.slice(0, limit);
  const last = entries[entries.length - 1];
  return { entries, nextBefore: rows.length > limit && last ? last.id : null };
}
