import { useState } from "preact/hooks";
import { api, ApiError, evaluationPath } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import type { Assignment, Charter } from "../lib/types.ts";
import { JudgeThenReveal } from "./judging.tsx";

interface Props {
  evaluationId: string;
  mode: Assignment["mode"];
  charter: Charter;
  onJudged: () => void;
}

/** One assignment at a time: the item, the anonymous responses, the judgment, then the reveal. */
export function AssignmentPanel({ evaluationId, mode, charter, onJudged }: Props) {
  const [round, setRound] = useState(0);
  const assignment = useLoad(() => api.post<Assignment>(evaluationPath(evaluationId, "/assignments"), { mode }), [evaluationId, mode, round]);
  if (assignment.error instanceof ApiError && assignment.error.code === "nothing_to_assign") {
    return <p class="callout">{t("judge.nothingLeft")}</p>;
  }
  return (
    <Async state={assignment}>
      {(a) => <JudgeThenReveal key={a.token} assignment={a} evaluationId={evaluationId} charter={charter} onJudged={onJudged} onNext={() => setRound((n) => n + 1)} />}
    </Async>
  );
}
