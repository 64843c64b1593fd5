import { api, evaluationPath } from "./api.ts";
import type { EvaluationDetail, Me } from "./types.ts";

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
