/**
 * Tasks this process served, kept until judged: what the judgment's checks need (the context read when serving and
 * the task with its responses' subjects), so that the common judgment is one statement; and per caller and
 * evaluation the context last read, so that the next assignment is one statement too. Nothing here decides a rule:
 * the checks run on these values in service.ts as they would on values just read, and the statement writes nothing
 * unless everything they came from is unchanged in PostgreSQL (task-writes.ts: the `unchanged` option of closeAndInsertJudgment and
 * insertAssignmentWithView) and the task is still open (or, for an assignment, none is); otherwise the request reads
 * the context afresh. A task served by another instance, or forgotten here (bounded, oldest first), takes that path.
 */
import type { JudgingContextRow, LockedResponse, AssignmentRow } from "./queries.ts";

export interface ServedTask {
  readonly userId: string;
  readonly context: JudgingContextRow;
  readonly assignment: AssignmentRow & { abandoned: boolean; scenario: Record<string, unknown> | null; responses: LockedResponse[] };
}

const MAX_TASKS = 20_000;
const tasks = new Map<string, ServedTask>();

export function rememberServedTask(token: string, task: ServedTask): void {
  if (tasks.size >= MAX_TASKS) {
    const oldest = tasks.keys().next();
    if (!oldest.done) tasks.delete(oldest.value);
  }
  tasks.set(token, task);
}

/** The task served under `token` to `userId`, forgotten as it is taken (a judgment is attempted once from here). */
export function takeServedTask(token: string, userId: string | null): ServedTask | undefined {
  const task = tasks.get(token);
  if (!task) return undefined;
  tasks.delete(token);
  return task.userId === userId ? task : undefined;
}

const MAX_CONTEXTS = 20_000;
const contexts = new Map<string, { readonly userId: string; readonly context: JudgingContextRow }>();

/** The context read for `userId` on the evaluation named `idOrSlug` (as the request named it). */
export function rememberContext(userId: string, idOrSlug: string, context: JudgingContextRow): void {
  const key = `${userId} ${idOrSlug}`;
  contexts.delete(key);
  if (contexts.size >= MAX_CONTEXTS) {
    const oldest = contexts.keys().next();
    if (!oldest.done) contexts.delete(oldest.value);
  }
  contexts.set(key, { userId, context });
}

export function rememberedContext(userId: string | null, idOrSlug: string): JudgingContextRow | undefined {
  if (!userId) return undefined;
  return contexts.get(`${userId} ${idOrSlug}`)?.context;
}
