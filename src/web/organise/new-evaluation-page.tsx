import { useState } from "preact/hooks";
import { api } from "../lib/api.ts";
import { FormStatus, SubmitButton, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { navigate } from "../lib/router.tsx";
import { useTitle } from "../lib/title.ts";
import type { CreatedEvaluation } from "../lib/types.ts";
import { CharterFields } from "./charter-fields.tsx";
import { emptyDraft, knownFields, toRequest } from "./charter-draft.ts";
import { validateDraft } from "./charter-validation.ts";

/** Write the charter and create the evaluation (a draft until it is opened). */
export default function NewEvaluationPage() {
  useTitle(t("organise.newTitle"));
  const [draft, setDraft] = useState(emptyDraft);
  const submission = useSubmission(knownFields(draft));
  const submit = (event: Event) => {
    event.preventDefault();
    void submission.run(async () => {
      const created = await api.post<CreatedEvaluation>("/api/evaluations", toRequest(draft));
      navigate(`/organise/${created.evaluation.slug}`);
    }, validateDraft(draft));
  };
  const errorCount = Object.keys(submission.fieldErrors).length;
  return (
    <section>
      <h1>{t("organise.newTitle")}</h1>
      <p class="lead">{t("organise.newIntro")}</p>
      <form class="stack charter-form" noValidate onSubmit={submit}>
        <CharterFields draft={draft} errors={submission.fieldErrors} onChange={setDraft} />
        <FormStatus error={submission.formError || (errorCount > 0 ? t("errors.fix_fields", { count: errorCount }) : "")} />
        <SubmitButton pending={submission.pending} label={t("organise.create")} />
      </form>
    </section>
  );
}
