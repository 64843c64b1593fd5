import { api, evaluationPath } from "./api.ts";
import { t } from "./i18n.ts";
import type { Judgment, JudgmentBody, MyJudgment, MyJudgments } from "./types.ts";

export type { MyJudgment };

/** Every version of every judgment I made here, from the server (so it follows me across devices). */
export async function loadMyJudgments(evaluationId: string): Promise<MyJudgment[]> {
  const { judgments } = await api.get<MyJudgments>(evaluationPath(evaluationId, "/me/judgments"));
  return judgments;
}

/** The item a judgment was about, short enough for a list. */
export function itemLabel(judgment: MyJudgment): string {
  const item = judgment.item;
  if (!item) return t("judge.item");
  return item.title || (item.prompt.length > 80 ? `${item.prompt.slice(0, 79)}…` : item.prompt);
}

/** The versions a judgment replaced, newest first (following `revises` back). */
export function earlierVersions(judgment: MyJudgment, all: readonly MyJudgment[]): MyJudgment[] {
  const byId = new Map(all.map((j) => [j.id, j]));
  const chain: MyJudgment[] = [];
  let previous = judgment.revises ? byId.get(judgment.revises) : undefined;
  while (previous && !chain.includes(previous)) {
    chain.push(previous);
    previous = previous.revises ? byId.get(previous.revises) : undefined;
  }
  return chain;
}

/** What was answered, in words: a judgment as sent, or its body as the server hands it back. */
export function describeJudgment(judgment: Judgment | JudgmentBody): string {
  switch (judgment.kind) {
    case "pairwise":
      return t(`judge.outcomes.${judgment.outcome}`);
    case "rating":
      return t("judge.kinds.rating");
    case "ranking":
      return t("judge.kinds.ranking");
    case "abstention":
      return t("judge.kinds.abstention");
    case "contest":
      return t(`judge.kinds.contest_${judgment.target}`);
  }
}
