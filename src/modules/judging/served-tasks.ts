/**
 * Tasks this process served, kept until judged: what the judgment's checks need (the context read when serving and
 * the task with its responses' subjects), so that the common judgment is one statement. Nothing here decides a
 * rule: the checks run on these values in service.ts as they would on values just read, and the judgment's statement
 * writes nothing unless everything they came from is unchanged in PostgreSQL (closeAndInsertJudgment's `unchanged`)
 * and the task is still open; otherwise the judgment reads the context afresh. A task served by another instance,
 * or forgotten here (bounded, oldest first), takes that path too.
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
