import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { SelectField } from "../lib/choices.tsx";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { ARTIFACT_KINDS, SUBJECT_CONTEXT_FIELDS as CONTEXT, SUBJECT_KINDS, type Subject } from "../lib/types.ts";

const LIMITS = { name: 200, organisation: 200, description: 10_000, users: 2000, purpose: 2000, affected: 2000, artifactTitle: 300, artifactContent: 100_000 };

const initial = () => ({ name: "", kind: "model", organisation: "", description: "", users: "", purpose: "", affected: "", artifactKind: "text", artifactTitle: "", artifactContent: "", artifactUrl: "" });

/** A subject in its social setting: who uses it, for what, who is affected, and any artifacts. */
export function SubjectForm({ evaluationId, subjects, onAdded }: { evaluationId: string; subjects: readonly Subject[]; onAdded: () => void }) {
  const [form, setForm] = useState(initial);
  const set = (field: keyof ReturnType<typeof initial>) => (value: string) => setForm({ ...form, [field]: value });
  const submission = useSubmission(["name", "organisation", "context.description", "artifacts"]);
  const submit = (event: Event) => {
    event.preventDefault();
    const checks = checkFields([
      { field: "name", value: form.name, required: true, max: LIMITS.name },
      { field: "organisation", value: form.organisation, max: LIMITS.organisation },
      ...CONTEXT.map((c) => ({ field: `context.${c}`, value: form[c], max: LIMITS[c] })),
      { field: "artifactTitle", value: form.artifactTitle, max: LIMITS.artifactTitle },
    ]);
    if (form.artifactUrl && !/^https?:\/\/\S+$/.test(form.artifactUrl)) checks.artifactUrl = t("errors.url");
    const context = Object.fromEntries(CONTEXT.filter((c) => form[c].trim()).map((c) => [c, form[c].trim()]));
    const hasArtifact = form.artifactTitle.trim() || form.artifactContent.trim() || form.artifactUrl.trim();
    const artifact = { kind: form.artifactKind, ...(form.artifactTitle.trim() ? { title: form.artifactTitle.trim() } : {}), ...(form.artifactContent.trim() ? { content: form.artifactContent } : {}), ...(form.artifactUrl.trim() ? { url: form.artifactUrl.trim() } : {}) };
    void submission.run(async () => {
      await api.post(evaluationPath(evaluationId, "/subjects"), {
        name: form.name.trim(),
        kind: form.kind,
        ...(form.organisation.trim() ? { organisation: form.organisation.trim() } : {}),
        ...(Object.keys(context).length ? { context } : {}),
        ...(hasArtifact ? { artifacts: [artifact] } : {}),
      });
      setForm(initial());
      onAdded();
    }, checks);
  };
  return (
    <section aria-labelledby="subjects-heading">
      <h2 id="subjects-heading">{t("organise.subjects.title")}</h2>
      {subjects.length > 0 ? (
        <ul>
          {subjects.map((s) => (
            <li key={s.id}>
              <SubjectSummary subject={s} />
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("organise.subjects.none")}</p>
      )}
      <form class="stack" noValidate onSubmit={submit}>
        <TextField field="name" label={t("organise.subjects.name")} value={form.name} onInput={set("name")} required error={submission.fieldErrors.name} />
        <SelectField field="kind" label={t("organise.subjects.kind")} hint={t("organise.subjects.kindHint")} options={SUBJECT_KINDS.map((k) => ({ value: k, label: t(`subjectKinds.${k}`) }))} value={form.kind} onChange={set("kind")} />
        <TextField field="organisation" label={t("organise.subjects.organisation")} value={form.organisation} onInput={set("organisation")} error={submission.fieldErrors.organisation} />
        {CONTEXT.map((c) => (
          <TextField key={c} field={`context.${c}`} label={t(`organise.subjects.context.${c}`)} value={form[c]} onInput={set(c)} multiline error={submission.fieldErrors[`context.${c}`]} />
        ))}
        <fieldset>
          <legend>{t("organise.subjects.artifact")}</legend>
          <SelectField field="artifactKind" label={t("organise.subjects.artifactKind")} options={ARTIFACT_KINDS.map((k) => ({ value: k, label: t(`organise.artifactKinds.${k}`) }))} value={form.artifactKind} onChange={set("artifactKind")} />
          <TextField field="artifactTitle" label={t("organise.subjects.artifactTitle")} value={form.artifactTitle} onInput={set("artifactTitle")} error={submission.fieldErrors.artifactTitle} />
          <TextField field="artifactContent" label={t("organise.subjects.artifactContent")} value={form.artifactContent} onInput={set("artifactContent")} multiline />
          <TextField field="artifactUrl" type="url" label={t("organise.subjects.artifactUrl")} value={form.artifactUrl} onInput={set("artifactUrl")} error={submission.fieldErrors.artifactUrl} />
        </fieldset>
        <FormStatus error={submission.formError} />
        <SubmitButton pending={submission.pending} label={t("organise.subjects.add")} />
      </form>
    </section>
  );
}

/** The subject in its setting: kind, who uses it and for what, who is affected, artifacts, and whether it answers live. */
function SubjectSummary({ subject: s }: { subject: Subject }) {
  // The context is stored as the organiser (or an import) wrote it: show the answers that are text.
  const said = (c: (typeof CONTEXT)[number]) => {
    const value = s.context[c];
    return typeof value === "string" ? value : "";
  };
  const context = CONTEXT.filter((c) => c !== "description" && said(c));
  return (
    <>
      {s.name} <span class="muted">({t(`subjectKinds.${s.kind}`)})</span>
      {s.available === false ? <span class="error-text"> · {t("desk.subjects.unavailable", { reason: s.unavailableReason ?? "" })}</span> : null}
      {context.length > 0 || s.artifacts.length ? (
        <ul class="hint">
          {context.map((c) => (
            <li key={c} dir="auto">
              {t(`organise.subjects.context.${c}`)}: {said(c)}
            </li>
          ))}
          {s.artifacts.length ? <li>{t("desk.subjects.artifacts", { count: s.artifacts.length })}</li> : null}
        </ul>
      ) : null}
    </>
  );
}
