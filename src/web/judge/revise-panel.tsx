import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { formatDate } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { describeJudgment, earlierVersions, itemLabel, loadMyJudgments, type MyJudgment } from "../lib/judgments.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { PAIRWISE_OUTCOMES, type Charter, type Judgment, type PairwiseOutcome } from "../lib/types.ts";

type Answer = PairwiseOutcome | "abstain";

/** Your judgments, from the server: each current one can be revised (earlier versions stay on the record). */
export function RevisePanel({ evaluationId, charter }: { evaluationId: string; charter: Charter }) {
  const list = useLoad(() => loadMyJudgments(evaluationId), [evaluationId]);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Async state={list}>
      {(all) => {
        const current = all.filter((j) => j.isCurrent).reverse();
        if (current.length === 0) return null;
        return (
          <section class="revise" aria-labelledby="revise-heading">
            <h2 id="revise-heading">{t("judge.revise.title")}</h2>
            <p class="hint">{t("judge.revise.intro")}</p>
            <ul class="plain-list">
              {current.map((entry) => (
                <li key={entry.id} class="card">
                  <JudgmentSummary entry={entry} earlier={earlierVersions(entry, all)} />
                  {open === entry.id ? (
                    <ReviseForm
                      evaluationId={evaluationId}
                      entry={entry}
                      charter={charter}
                      onDone={() => {
                        setOpen(null);
                        list.reload();
                      }}
                    />
                  ) : (
                    <button type="button" class="secondary" onClick={() => setOpen(entry.id)}>
                      {t("judge.revise.open", { item: itemLabel(entry) })}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </section>
        );
      }}
    </Async>
  );
}

function JudgmentSummary({ entry, earlier }: { entry: MyJudgment; earlier: MyJudgment[] }) {
  const names = entry.responses.filter((r) => r.subject).map((r) => t("judge.revise.was", { key: r.key.toUpperCase(), name: r.subject?.name ?? "" }));
  return (
    <>
      <p>
        <strong>{itemLabel(entry)}</strong> — {describeJudgment(entry.body)} <span class="muted">{formatDate(entry.createdAt)}</span>
      </p>
      {names.length > 0 ? <p class="muted">{names.join(" · ")}</p> : null}
      {entry.rationale ? <p dir="auto">{t("judge.revise.because", { rationale: entry.rationale })}</p> : null}
      {earlier.length > 0 ? (
        <details>
          <summary>{t("judge.revise.earlier", { count: earlier.length })}</summary>
          <ul>
            {earlier.map((v) => (
              <li key={v.id}>
                {describeJudgment(v.body)} <span class="muted">{formatDate(v.createdAt)}</span>
                {v.rationale ? <span dir="auto"> — {v.rationale}</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}

function ReviseForm({ evaluationId, entry, charter, onDone }: { evaluationId: string; entry: MyJudgment; charter: Charter; onDone: () => void }) {
  const answers: Answer[] = entry.body.kind === "pairwise" ? [...PAIRWISE_OUTCOMES, "abstain"] : ["abstain"];
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
      await api.post(evaluationPath(evaluationId, `/judgments/${encodeURIComponent(entry.id)}/revisions`), body);
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
