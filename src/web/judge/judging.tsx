import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { checkFields, FormStatus, TextField, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { Markdown } from "../lib/markdown.tsx";
import type { Assignment, CastResult, Charter, Judgment } from "../lib/types.ts";
import { PairwiseChoice } from "./pairwise-choice.tsx";
import { RankingBoard } from "./ranking-board.tsx";
import { RatingForm } from "./rating-form.tsx";
import { Revealed } from "./revealed.tsx";
import { ResponseCard } from "./response-card.tsx";
import { SetAsideForm } from "./set-aside-form.tsx";

interface Props {
  assignment: Assignment;
  evaluationId: string;
  charter: Charter;
  onJudged: () => void;
  onNext: () => void;
}

/** One assignment: judge it (or set it aside), then see who was behind the letters. */
export function JudgeThenReveal({ assignment, evaluationId, charter, onJudged, onNext }: Props) {
  const [result, setResult] = useState<{ cast: CastResult; judgment: Judgment } | null>(null);
  if (result) return <Revealed cast={result.cast} judgment={result.judgment} onNext={onNext} />;
  return (
    <Judging
      assignment={assignment}
      evaluationId={evaluationId}
      charter={charter}
      onCast={(cast, judgment) => {
        setResult({ cast, judgment });
        onJudged();
      }}
    />
  );
}

interface JudgingProps {
  assignment: Assignment;
  evaluationId: string;
  charter: Charter;
  onCast: (cast: CastResult, judgment: Judgment) => void;
}

function Judging({ assignment, evaluationId, charter, onCast }: JudgingProps) {
  const [rationale, setRationale] = useState("");
  const submission = useSubmission(["rationale", "reason", "scores", "order"]);
  const limit = charter.textLimits.rationale;
  const cast = (judgment: Judgment) =>
    submission.run(async () => {
      const body = rationale.trim() ? { judgment, rationale: rationale.trim() } : { judgment };
      const done = await api.post<CastResult>(evaluationPath(evaluationId, `/assignments/${encodeURIComponent(assignment.token)}/judgment`), body);
      onCast(done, judgment);
    }, checkFields([{ field: "rationale", value: rationale, max: limit }]));
  return (
    <article class="assignment" aria-labelledby="item-heading">
      <h2 id="item-heading" tabIndex={-1} dir="auto">
        {assignment.item.title || t("judge.item")}
      </h2>
      <Markdown class="prompt" text={assignment.item.prompt} />
      {assignment.mode === "ranking" ? (
        <RankingBoard responses={assignment.responses} pending={submission.pending} onSubmit={(order) => cast({ kind: "ranking", order })} />
      ) : (
        <div class={assignment.mode === "pairwise" ? "battle" : "single"}>
          {assignment.responses.map((r) => (
            <ResponseCard key={r.key} responseKey={r.key} text={r.text} />
          ))}
        </div>
      )}
      <TextField field="rationale" label={t("judge.rationale")} hint={t("judge.rationaleHint")} value={rationale} onInput={setRationale} multiline max={limit} error={submission.fieldErrors.rationale} />
      {assignment.mode === "pairwise" ? <PairwiseChoice pending={submission.pending} onChoose={(outcome) => cast({ kind: "pairwise", outcome })} /> : null}
      {assignment.mode === "rating" ? <RatingForm rubric={charter.rubric} pending={submission.pending} onSubmit={(scores) => cast({ kind: "rating", scores })} /> : null}
      <FormStatus error={submission.formError} />
      <SetAsideForm limit={charter.textLimits.reason} pending={submission.pending} error={submission.fieldErrors.reason} onSubmit={(judgment) => cast(judgment)} />
    </article>
  );
}
