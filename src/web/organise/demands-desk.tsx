import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { SelectField } from "../lib/choices.tsx";
import { DemandRecord } from "../lib/demand-record.tsx";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import type { Demand, DemandList } from "../lib/types.ts";

const NEXT: Record<Demand["progress"], Demand["progress"][]> = {
  open: ["acknowledged", "in_progress", "done", "declined"],
  acknowledged: ["in_progress", "done", "declined"],
  in_progress: ["done", "declined"],
  done: [],
  declined: [],
};

/** The sponsor's side of demands: answer in public (once, kept word for word), report progress, set milestones. */
export function DemandsDesk({ evaluationId }: { evaluationId: string }) {
  const list = useLoad(() => api.get<DemandList>(evaluationPath(evaluationId, "/demands")), [evaluationId]);
  return (
    <section aria-labelledby="desk-demands-heading">
      <h2 id="desk-demands-heading">{t("govern.demands")}</h2>
      <Async state={list}>
        {({ demands, overdue }) =>
          demands.length === 0 ? (
            <p>{t("govern.noDemands")}</p>
          ) : (
            <>
              {overdue > 0 ? <p class="warning">{t("desk.demands.overdue", { count: overdue })}</p> : null}
              <ul class="plain-list">
                {demands.map((d) => (
                  <li key={d.id} class="card">
                    <DemandRecord demand={d} />
                    <DemandActions evaluationId={evaluationId} demand={d} onChanged={list.reload} />
                  </li>
                ))}
              </ul>
            </>
          )
        }
      </Async>
    </section>
  );
}

function DemandActions({ evaluationId, demand, onChanged }: { evaluationId: string; demand: Demand; onChanged: () => void }) {
  const base = evaluationPath(evaluationId, `/demands/${encodeURIComponent(demand.id)}`);
  const f = (name: string) => `${name}-${demand.id}`;
  const [answer, setAnswer] = useState("");
  const next = NEXT[demand.progress];
  const [picked, setStatus] = useState<string>(next[0] ?? "");
  const status = (next as string[]).includes(picked) ? picked : (next[0] ?? "");
  const [reason, setReason] = useState("");
  const [title, setTitle] = useState("");
  const [dueAt, setDueAt] = useState("");
  const answering = useSubmission([]);
  const progressing = useSubmission([]);
  const planning = useSubmission([]);
  const send = (submission: ReturnType<typeof useSubmission>, path: string, body: unknown, checks: Record<string, string>, reset: () => void) => (event: Event) => {
    event.preventDefault();
    void submission.run(async () => {
      await api.post(`${base}${path}`, body);
      reset();
      onChanged();
    }, checks);
  };
  return (
    <div class="stack">
      {demand.answer === null ? (
        <form noValidate class="stack" onSubmit={send(answering, "/answer", { answer: answer.trim() }, checkFields([{ field: f("answer"), value: answer, required: true, max: 100_000 }]), () => setAnswer(""))}>
          <TextField field={f("answer")} label={t("desk.demands.answer", { title: demand.title })} hint={t("desk.demands.answerHint")} value={answer} onInput={setAnswer} multiline required error={answering.fieldErrors[f("answer")]} />
          <FormStatus error={answering.formError} />
          <SubmitButton pending={answering.pending} label={t("desk.demands.sendAnswer")} />
        </form>
      ) : null}
      {next.length > 0 ? (
        <form noValidate class="stack" onSubmit={send(progressing, "/progress", { status, ...(reason.trim() ? { reason: reason.trim() } : {}) }, checkFields([{ field: f("reason"), value: reason, required: status === "declined", max: 4000 }]), () => setReason(""))}>
          <SelectField field={f("status")} label={t("desk.demands.progress", { title: demand.title })} options={next.map((p) => ({ value: p, label: t(`record.progressStates.${p}`) }))} value={status} onChange={setStatus} />
          <TextField field={f("reason")} label={t("desk.demands.reason")} hint={t("desk.demands.reasonHint")} value={reason} onInput={setReason} multiline required={status === "declined"} error={progressing.fieldErrors[f("reason")]} />
          <FormStatus error={progressing.formError} />
          <SubmitButton pending={progressing.pending} label={t("desk.demands.setProgress")} />
        </form>
      ) : null}
      <form
        noValidate
        class="stack"
        onSubmit={send(planning, "/milestones", { title: title.trim(), ...(dueAt ? { dueAt: new Date(dueAt).toISOString() } : {}) }, checkFields([{ field: f("milestone"), value: title, required: true, max: 300 }]), () => {
          setTitle("");
          setDueAt("");
        })}
      >
        <TextField field={f("milestone")} label={t("desk.demands.milestone", { title: demand.title })} value={title} onInput={setTitle} required error={planning.fieldErrors[f("milestone")]} />
        <TextField field={f("due")} type="datetime-local" label={t("desk.demands.due")} value={dueAt} onInput={setDueAt} />
        <FormStatus error={planning.formError} />
        <SubmitButton pending={planning.pending} label={t("desk.demands.addMilestone")} />
      </form>
    </div>
  );
}
