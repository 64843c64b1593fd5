import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import type { AnsweredList, Item, Subject } from "../lib/types.ts";

type Answer = AnsweredList["answers"][number];

interface Props {
  evaluationId: string;
  subjects: readonly Pick<Subject, "id" | "name">[];
  items: readonly Pick<Item, "id" | "title" | "prompt">[];
  answers: readonly Answer[];
  onAdded: () => void;
}

export const itemLabel = (item: Pick<Item, "title" | "prompt">) => item.title || item.prompt.slice(0, 80);

/** Per item, each subject's answer: pasted into a box of its own, or shown as given (an answer is never silently replaced). */
export function AnswersPanel({ evaluationId, subjects, items, answers, onAdded }: Props) {
  const answered = (itemId: string) => answers.filter((a) => a.itemId === itemId);
  const ready = items.some((item) => new Set(answered(item.id).map((a) => a.subjectId)).size >= 2);
  return (
    <section aria-labelledby="answers-heading">
      <h2 id="answers-heading">{t("journey.answers.title")}</h2>
      <p class="hint">{t("journey.answers.intro")}</p>
      {subjects.length === 0 || items.length === 0 ? <p>{t("journey.answers.needBoth")}</p> : null}
      {items.length > 0 && subjects.length > 0 && !ready ? <p class="warning">{t("journey.answers.notReady")}</p> : null}
      <ul class="plain-list">
        {items.map((item, index) => (
          <li key={item.id}>
            <ItemAnswers evaluationId={evaluationId} item={item} subjects={subjects} answers={answered(item.id)} startOpen={items.length <= 3 || index === 0} onAdded={onAdded} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ItemAnswers({ evaluationId, item, subjects, answers, startOpen, onAdded }: { evaluationId: string; item: Pick<Item, "id" | "title" | "prompt">; subjects: Props["subjects"]; answers: readonly Answer[]; startOpen: boolean; onAdded: () => void }) {
  const [open, setOpen] = useState(startOpen);
  const bySubject = new Map(answers.map((a) => [a.subjectId, a]));
  const summary = t("journey.answers.itemSummary", { item: itemLabel(item), answered: formatNumber(bySubject.size), total: formatNumber(subjects.length) });
  return (
    <details class="card" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary dir="auto">{summary}</summary>
      {open ? <AnswerForm evaluationId={evaluationId} item={item} subjects={subjects} bySubject={bySubject} onAdded={onAdded} /> : null}
    </details>
  );
}

function AnswerForm({ evaluationId, item, subjects, bySubject, onAdded }: { evaluationId: string; item: Pick<Item, "id" | "title" | "prompt">; subjects: Props["subjects"]; bySubject: ReadonlyMap<string, Answer>; onAdded: () => void }) {
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState("");
  const field = (subjectId: string) => `answer-${item.id}-${subjectId}`;
  const missing = subjects.filter((s) => !bySubject.has(s.id));
  const submission = useSubmission(missing.map((s) => field(s.id)));
  const submit = (event: Event) => {
    event.preventDefault();
    setNotice("");
    const filled = missing.filter((s) => (texts[s.id] ?? "").trim() !== "");
    const checks: Record<string, string> = {};
    const first = missing[0];
    if (filled.length === 0 && first) checks[field(first.id)] = t("journey.answers.pasteOne");
    for (const s of filled) if ((texts[s.id] ?? "").length > 200_000) checks[field(s.id)] = t("errors.too_long", { max: 200_000, count: (texts[s.id] ?? "").length });
    void submission.run(async () => {
      for (const s of filled) {
        await api.post(evaluationPath(evaluationId, "/responses"), { itemId: item.id, subjectId: s.id, text: texts[s.id] ?? "" });
        setTexts((current) => ({ ...current, [s.id]: "" }));
      }
      setNotice(t("journey.answers.saved", { count: filled.length }));
      onAdded();
    }, checks);
  };
  return (
    <div class="stack">
      <p class="prompt-excerpt" dir="auto">
        {item.prompt.slice(0, 400)}
        {item.prompt.length > 400 ? "…" : ""}
      </p>
      {subjects.some((s) => bySubject.has(s.id)) ? (
        <ul class="answered-list">
          {subjects.filter((s) => bySubject.has(s.id)).map((s) => {
            const a = bySubject.get(s.id) as Answer;
            return (
              <li key={s.id}>
                <strong>{t("journey.answers.answeredBy", { subject: s.name })}</strong> <span class="muted">{t("journey.answers.length", { count: a.length })}</span>
                <blockquote dir="auto">
                  {a.excerpt}
                  {a.length > a.excerpt.length ? "…" : ""}
                </blockquote>
              </li>
            );
          })}
        </ul>
      ) : null}
      {missing.length > 0 ? (
        <form class="stack" noValidate onSubmit={submit}>
          {missing.map((s) => (
            <TextField
              key={s.id}
              field={field(s.id)}
              label={t("journey.answers.answerOf", { subject: s.name, item: itemLabel(item) })}
              value={texts[s.id] ?? ""}
              onInput={(value) => setTexts((current) => ({ ...current, [s.id]: value }))}
              multiline
              error={submission.fieldErrors[field(s.id)]}
            />
          ))}
          <FormStatus error={submission.formError} notice={notice} />
          <SubmitButton pending={submission.pending} label={t("journey.answers.save", { item: itemLabel(item) })} />
        </form>
      ) : (
        <p>{notice || t("journey.answers.allAnswered")}</p>
      )}
    </div>
  );
}
