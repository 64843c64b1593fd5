import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { STATEMENT_VOTES as VOTES, type Statement, type StatementList } from "../lib/types.ts";

type Vote = (typeof VOTES)[number];

/** Short claims to agree with, disagree with or pass on; tallies appear once k people have voted. */
export function Statements({ evaluationId, limit, canWrite }: { evaluationId: string; limit: number; canWrite: boolean }) {
  const list = useLoad(() => api.get<StatementList>(evaluationPath(evaluationId, "/statements")), [evaluationId]);
  const voting = useSubmission();
  const vote = (statement: Statement, choice: Vote) =>
    void voting.run(async () => {
      await api.put(evaluationPath(evaluationId, `/statements/${statement.id}/vote`), { vote: choice });
      list.reload();
    });
  return (
    <section aria-labelledby="statements-heading">
      <h2 id="statements-heading">{t("deliberate.statements")}</h2>
      <p class="hint">{t("deliberate.statementsHint")}</p>
      <FormStatus error={voting.formError} />
      <Async state={list}>
        {({ statements, kAnonymity }) =>
          statements.length === 0 ? (
            <p>{t("deliberate.noStatements")}</p>
          ) : (
            <ul class="plain-list">
              {statements.map((s) => (
                <li key={s.id} class="card">
                  <p dir="auto">{s.text}</p>
                  {s.moderation !== "accepted" ? <p class="muted">{t("deliberate.awaiting")}</p> : null}
                  <div class="button-row" role="group" aria-label={t("deliberate.voteOn", { text: s.text.slice(0, 60) })}>
                    {VOTES.map((v) => (
                      <button key={v} type="button" class="secondary" aria-pressed={s.myVote === v} disabled={voting.pending || !canWrite} onClick={() => vote(s, v)}>
                        {t(`deliberate.votes.${v}`)}
                      </button>
                    ))}
                  </div>
                  <p class="muted">
                    {s.votes
                      ? t("deliberate.tally", { agree: formatNumber(s.votes.agree), disagree: formatNumber(s.votes.disagree), pass: formatNumber(s.votes.pass) })
                      : t("deliberate.tallyHidden", { k: kAnonymity })}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      {canWrite ? <NewStatement evaluationId={evaluationId} limit={limit} onAdded={list.reload} /> : null}
    </section>
  );
}

function NewStatement({ evaluationId, limit, onAdded }: { evaluationId: string; limit: number; onAdded: () => void }) {
  const [text, setText] = useState("");
  const [notice, setNotice] = useState("");
  const submission = useSubmission(["statement"]);
  const submit = (event: Event) => {
    event.preventDefault();
    setNotice("");
    void submission.run(async () => {
      await api.post(evaluationPath(evaluationId, "/statements"), { text: text.trim() });
      setText("");
      setNotice(t("deliberate.statementAdded"));
      onAdded();
    }, checkFields([{ field: "statement", value: text, required: true, max: limit }]));
  };
  return (
    <form class="stack" noValidate onSubmit={submit}>
      <TextField field="statement" label={t("deliberate.writeStatement")} hint={t("deliberate.writeHint")} value={text} onInput={setText} multiline required max={limit} error={submission.fieldErrors.statement} />
      <FormStatus error={submission.formError} notice={notice} />
      <SubmitButton pending={submission.pending} label={t("deliberate.addStatement")} />
    </form>
  );
}
