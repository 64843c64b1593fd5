import { api, evaluationPath } from "./api.ts";
import type { EvaluationDetail, Judgment, Me, Revealed } from "./types.ts";

export interface ContextData {
  detail: EvaluationDetail;
  me: Me | null;
}

/** The evaluation with its charter, and this visitor's participation (null when not a participant). */
export async function loadContext(id: string): Promise<ContextData> {
  const detail = await api.get<EvaluationDetail>(evaluationPath(id));
  const me = detail.role === "participant" ? await api.get<Me>(evaluationPath(id, "/me")) : null;
  return { detail, me };
}

/** A judgment cast in this browser, remembered so that it can be revised after discussion. */
export interface RememberedJudgment {
  id: string;
  itemTitle: string;
  judgment: Judgment;
  revealed: Revealed[];
  createdAt: string;
}

const key = (evaluationId: string) => `counterpublic.judgments.${evaluationId}`;

export function rememberedJudgments(evaluationId: string): RememberedJudgment[] {
  try {
    const raw = localStorage.getItem(key(evaluationId));
    return raw ? (JSON.parse(raw) as RememberedJudgment[]) : [];
  } catch {
    return [];
  }
}

export function rememberJudgment(evaluationId: string, entry: RememberedJudgment, replaces?: string): void {
  const kept = rememberedJudgments(evaluationId).filter((j) => j.id !== replaces && j.id !== entry.id);
  try {
    localStorage.setItem(key(evaluationId), JSON.stringify([entry, ...kept].slice(0, 50)));
  } catch {
    // storage full or disabled: revision stays possible for this page only
  }
}
