import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { SelectField } from "../lib/choices.tsx";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import type { Item, Subject } from "../lib/types.ts";

interface Props {
  evaluationId: string;
  subjects: readonly Pick<Subject, "id" | "name">[];
  items: readonly Pick<Item, "id" | "title" | "prompt">[];
  onAdded: () => void;
}

/** An imported output: what one subject answered to one item. */
export function ResponseForm({ evaluationId, subjects, items, onAdded }: Props) {
  const [itemId, setItemId] = useState("");
  const [subjectId, setSubjectId] = useState("");
  const [text, setText] = useState("");
  const [notice, setNotice] = useState("");
  const submission = useSubmission(["itemId", "subjectId", "text"]);
  if (subjects.length === 0 || items.length === 0) return null;
  const item = itemId || items[0]?.id || "";
  const subject = subjectId || subjects[0]?.id || "";
  const submit = (event: Event) => {
    event.preventDefault();
    setNotice("");
    void submission.run(async () => {
      await api.post(evaluationPath(evaluationId, "/responses"), { itemId: item, subjectId: subject, text });
      setText("");
      setNotice(t("organise.responses.added"));
      onAdded();
    }, checkFields([{ field: "text", value: text, required: true, max: 200_000 }]));
  };
  return (
    <section aria-labelledby="responses-heading">
      <h2 id="responses-heading">{t("organise.responses.title")}</h2>
      <form class="stack" noValidate onSubmit={submit}>
        <SelectField field="itemId" label={t("organise.responses.item")} options={items.map((i) => ({ value: i.id, label: i.title || i.prompt.slice(0, 60) }))} value={item} onChange={setItemId} />
        <SelectField field="subjectId" label={t("organise.responses.subject")} options={subjects.map((s) => ({ value: s.id, label: s.name }))} value={subject} onChange={setSubjectId} />
        <TextField field="text" label={t("organise.responses.text")} value={text} onInput={setText} multiline required error={submission.fieldErrors.text} />
        <FormStatus error={submission.formError} notice={notice} />
        <SubmitButton pending={submission.pending} label={t("organise.responses.add")} />
      </form>
    </section>
  );
}
