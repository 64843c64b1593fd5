import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { formatDate } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { rememberedJudgments, rememberJudgment, type RememberedJudgment } from "../lib/participation.ts";
import type { Charter, Judgment } from "../lib/types.ts";
import { describeJudgment } from "./Revealed.tsx";

type Answer = "a" | "b" | "tie" | "both_bad" | "abstain";

/** Your judgments so far; any of them can be revised (the earlier version stays in the record). */
export function RevisePanel({ evaluationId, charter }: { evaluationId: string; charter: Charter }) {
  const [entries, setEntries] = useState(() => rememberedJudgments(evaluationId));
  const [open, setOpen] = useState<string | null>(null);
  if (entries.length === 0) return null;
  return (
    <section class="revise" aria-labelledby="revise-heading">
      <h2 id="revise-heading">{t("judge.revise.title")}</h2>
      <p class="hint">{t("judge.revise.intro")}</p>
      <ul class="plain-list">
        {entries.map((entry) => (
          <li key={entry.id} class="card">
            <p>
              <strong>{entry.itemTitle}</strong> — {describeJudgment(entry.judgment)}{" "}
              <span class="muted">{formatDate(entry.createdAt)}</span>
            </p>
            {open === entry.id ? (
              <ReviseForm
                evaluationId={evaluationId}
                entry={entry}
                charter={charter}
                onDone={() => {
                  setOpen(null);
                  setEntries(rememberedJudgments(evaluationId));
                }}
              />
            ) : (
              <button type="button" class="secondary" aria-expanded={false} onClick={() => setOpen(entry.id)}>
                {t("judge.revise.open", { item: entry.itemTitle })}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReviseForm({ evaluationId, entry, charter, onDone }: { evaluationId: string; entry: RememberedJudgment; charter: Charter; onDone: () => void }) {
  const answers: Answer[] = entry.judgment.kind === "pairwise" ? ["a", "b", "tie", "both_bad", "abstain"] : ["abstain"];
  const [answer, setAnswer] = useState<Answer>(answers[0] ?? "abstain");
  const [reason, setReason] = useState("");
  const [rationale, setRationale] = useState("");
  const submission = useSubmission();
  const submit = (event: Event) => {
    event.preventDefault();
    const judgment: Judgment = answer === "abstain" ? { kind: "abstention", reason: reason.trim() } : { kind: "pairwise", outcome: answer };
    const checks = checkFields([
      { field: "revise.reason", value: reason, required: answer === "abstain", max: charter.textLimits.reason },
      { field: "revise.rationale", value: rationale, max: charter.textLimits.rationale },
    ]);
    void submission.run(async () => {
      const body = rationale.trim() ? { judgment, rationale: rationale.trim() } : { judgment };
      const done = await api.post<{ judgment: { id: string; createdAt: string } }>(evaluationPath(evaluationId, `/judgments/${entry.id}/revisions`), body);
      rememberJudgment(evaluationId, { ...entry, id: done.judgment.id, judgment, createdAt: done.judgment.createdAt }, entry.id);
      onDone();
    }, checks);
  };
  return (
    <form noValidate onSubmit={submit} class="stack">
      <fieldset>
        <legend>{t("judge.revise.newAnswer")}</legend>
        {answers.map((a) => (
          <label key={a} class="choice">
            <input type="radio" name={`revise-${entry.id}`} value={a} checked={answer === a} onChange={() => setAnswer(a)} />
            {a === "abstain" ? t("judge.setAside.abstain") : t(`judge.outcomes.${a}`)}
          </label>
        ))}
      </fieldset>
      {answer === "abstain" ? <TextField field="revise.reason" label={t("judge.setAside.reason")} value={reason} onInput={setReason} multiline required max={charter.textLimits.reason} error={submission.fieldErrors["revise.reason"]} /> : null}
      <TextField field="revise.rationale" label={t("judge.rationale")} value={rationale} onInput={setRationale} multiline max={charter.textLimits.rationale} error={submission.fieldErrors["revise.rationale"]} />
      <FormStatus error={submission.formError} />
      <SubmitButton pending={submission.pending} label={t("judge.revise.submit")} />
    </form>
  );
}
