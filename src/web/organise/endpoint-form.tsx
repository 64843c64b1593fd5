import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { SelectField } from "../lib/choices.tsx";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import type { EndpointEnvelope, Subject } from "../lib/types.ts";

/** Serves a subject live from an OpenAI-compatible endpoint. The key is write-only: sent once, never shown again. */
export function EndpointForm({ evaluationId, subjects }: { evaluationId: string; subjects: readonly Pick<Subject, "id" | "name">[] }) {
  const [subjectId, setSubjectId] = useState("");
  const [baseURL, setBaseURL] = useState("");
  const [model, setModel] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [saved, setSaved] = useState("");
  const submission = useSubmission(["endpoint-baseURL", "endpoint-model"]);
  if (subjects.length === 0) return null;
  const subject = subjects.find((s) => s.id === subjectId) ?? subjects[0];
  const submit = (event: Event) => {
    event.preventDefault();
    setSaved("");
    const checks = checkFields([
      { field: "endpoint-baseURL", value: baseURL, required: true, max: 2000 },
      { field: "endpoint-model", value: model, required: true, max: 300 },
      { field: "endpoint-apiKey", value: apiKey, max: 4000 },
    ]);
    if (!checks["endpoint-baseURL"] && !/^https?:\/\/\S+$/.test(baseURL.trim())) checks["endpoint-baseURL"] = t("errors.url");
    void submission.run(async () => {
      const body = { kind: "openai_compatible", baseURL: baseURL.trim(), model: model.trim(), ...(apiKey ? { apiKey } : {}) };
      const { endpoint } = await api.put<EndpointEnvelope>(evaluationPath(evaluationId, `/subjects/${encodeURIComponent(subject?.id ?? "")}/endpoint`), body);
      setApiKey("");
      // We sent an OpenAI-compatible connector, so that is what the server describes back.
      const described = endpoint.kind === "openai_compatible" ? endpoint : { model, baseURL, apiKey: "not set" };
      setSaved(t("desk.endpoint.saved", { name: subject?.name ?? "", model: described.model, baseURL: described.baseURL, key: t(described.apiKey === "set" ? "desk.endpoint.keyStored" : "desk.endpoint.noKey") }));
    }, checks);
  };
  return (
    <section aria-labelledby="endpoint-heading">
      <h2 id="endpoint-heading">{t("desk.endpoint.title")}</h2>
      <p class="hint">{t("desk.endpoint.intro")}</p>
      <form class="stack" noValidate onSubmit={submit}>
        <SelectField field="endpoint-subject" label={t("desk.endpoint.subject")} options={subjects.map((s) => ({ value: s.id, label: s.name }))} value={subject?.id ?? ""} onChange={setSubjectId} />
        <TextField field="endpoint-baseURL" type="url" label={t("desk.endpoint.baseURL")} hint={t("desk.endpoint.baseURLHint")} value={baseURL} onInput={setBaseURL} required error={submission.fieldErrors["endpoint-baseURL"]} />
        <TextField field="endpoint-model" label={t("desk.endpoint.model")} value={model} onInput={setModel} required error={submission.fieldErrors["endpoint-model"]} />
        <TextField field="endpoint-apiKey" type="password" autocomplete="off" label={t("desk.endpoint.apiKey")} hint={t("desk.endpoint.apiKeyHint")} value={apiKey} onInput={setApiKey} error={submission.fieldErrors["endpoint-apiKey"]} />
        <FormStatus error={submission.formError} notice={saved} />
        <SubmitButton pending={submission.pending} label={t("desk.endpoint.save")} />
      </form>
    </section>
  );
}
