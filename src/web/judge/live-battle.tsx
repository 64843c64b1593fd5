import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, evaluationPath } from "../lib/api.ts";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { postEventStream, type StreamEvent } from "../lib/stream.ts";
import type { Assignment, Charter, LiveBattleEvents } from "../lib/types.ts";
import { JudgeThenReveal } from "./judging.tsx";
import { ResponseCard } from "./response-card.tsx";

type Side = LiveBattleEvents["delta"]["side"];
type Stage = { kind: "writing" } | { kind: "streaming"; texts: Record<Side, string>; status: string } | { kind: "ready"; assignment: Assignment };

interface Props {
  evaluationId: string;
  charter: Charter;
  onJudged: () => void;
}

/** Chatbot Arena's core: your own prompt, answered live by two anonymous systems, then judged like any battle. */
export function LiveBattle({ evaluationId, charter, onJudged }: Props) {
  const [prompt, setPrompt] = useState("");
  const [stage, setStage] = useState<Stage>({ kind: "writing" });
  const submission = useSubmission(["prompt"]);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  // Both answers are complete: take the keyboard and the screen reader to the item to judge.
  useEffect(() => {
    if (stage.kind === "ready") document.getElementById("item-heading")?.focus();
  }, [stage.kind]);
  const limit = charter.textLimits.prompt;

  const onEvent = ({ event, data }: StreamEvent) => {
    if (event === "delta") {
      const { side, text } = data as LiveBattleEvents["delta"];
      setStage((s) => (s.kind === "streaming" ? { ...s, texts: { ...s.texts, [side]: s.texts[side] + text } } : s));
    } else if (event === "retry") {
      setStage({ kind: "streaming", texts: { a: "", b: "" }, status: t("judge.live.retry") });
    } else if (event === "ready") {
      setStage({ kind: "ready", assignment: data as LiveBattleEvents["ready"] });
    } else if (event === "error") {
      const { code, detail } = data as LiveBattleEvents["error"];
      throw new ApiError(409, code, detail);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    void submission.run(async () => {
      abort.current?.abort();
      abort.current = new AbortController();
      setStage({ kind: "streaming", texts: { a: "", b: "" }, status: t("judge.live.writingBoth") });
      try {
        await postEventStream(evaluationPath(evaluationId, "/live-battles"), { prompt: prompt.trim() }, onEvent, abort.current.signal);
        setStage((s) => (s.kind === "ready" ? s : { kind: "writing" }));
      } catch (error) {
        setStage({ kind: "writing" });
        // "nothing to assign" here means fewer than two live systems answered: say that, not "all judged".
        if (error instanceof ApiError && error.code === "nothing_to_assign") throw new ApiError(error.status, "live_no_pair", error.message);
        throw error;
      }
    }, checkFields([{ field: "prompt", value: prompt, required: true, max: limit }]));
  };

  if (stage.kind === "ready") {
    return (
      <JudgeThenReveal
        assignment={stage.assignment}
        evaluationId={evaluationId}
        charter={charter}
        onJudged={onJudged}
        onNext={() => {
          setPrompt("");
          setStage({ kind: "writing" });
        }}
      />
    );
  }
  return (
    <section class="live-battle" aria-labelledby="live-heading">
      <h2 id="live-heading">{t("judge.live.title")}</h2>
      <p class="hint">{t(charter.participantItems === "moderated" ? "judge.live.introModerated" : "judge.live.intro")}</p>
      {stage.kind === "streaming" ? (
        <Streaming prompt={prompt} texts={stage.texts} status={stage.status} />
      ) : (
        <form class="stack" noValidate onSubmit={submit}>
          <TextField field="prompt" label={t("judge.live.prompt")} hint={t("judge.live.promptHint")} value={prompt} onInput={setPrompt} multiline required max={limit} error={submission.fieldErrors.prompt} />
          <FormStatus error={submission.formError} />
          <SubmitButton pending={submission.pending} label={t("judge.live.submit")} pendingLabel={t("judge.live.writingBoth")} />
        </form>
      )}
    </section>
  );
}

/** Both answers as they are written. Only the status line is announced, not every word. */
function Streaming({ prompt, texts, status }: { prompt: string; texts: Record<Side, string>; status: string }) {
  return (
    <div class="stack">
      <p class="prompt" dir="auto">{prompt}</p>
      <p class="notice-text" role="status" aria-live="polite">
        {status}
      </p>
      <div class="battle" aria-busy="true">
        {(["a", "b"] as const).map((side) => (
          <ResponseCard key={side} responseKey={side} text={texts[side] || t("judge.live.waiting")} />
        ))}
      </div>
    </div>
  );
}
