import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { SelectField } from "../lib/choices.tsx";
import { FieldShell, FormStatus, SubmitButton, useSubmission } from "../lib/form.tsx";
import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { IMPORT_FORMATS as FORMATS, type ImportSummary } from "../lib/types.ts";

const MAX_BYTES = 20 * 1024 * 1024;

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(reader.error ?? new Error("unreadable file"));
    reader.readAsText(file);
  });
}

/** Imports a file of battles, rankings or (item, subject, response) rows; the file is read in the browser and sent as text. */
export function ImportForm({ evaluationId, onImported }: { evaluationId: string; onImported: () => void }) {
  const [format, setFormat] = useState<string>("outputs-jsonl");
  const [file, setFile] = useState<File | null>(null);
  const [notice, setNotice] = useState("");
  const submission = useSubmission(["content"]);
  const submit = (event: Event) => {
    event.preventDefault();
    setNotice("");
    const checks: Record<string, string> = {};
    if (!file) checks.content = t("desk.import.pickFile");
    else if (file.size > MAX_BYTES) checks.content = t("desk.import.tooLarge", { mb: MAX_BYTES / 1024 / 1024 });
    void submission.run(async () => {
      const content = await readText(file as File);
      const counts = await api.post<ImportSummary>(evaluationPath(evaluationId, "/imports"), { format, content, fileName: (file as File).name.slice(0, 300) });
      setNotice(t("desk.import.done", { items: formatNumber(counts.items), subjects: formatNumber(counts.subjects), responses: formatNumber(counts.responses), judgments: formatNumber(counts.judgments) }));
      onImported();
    }, checks);
  };
  return (
    <section aria-labelledby="import-heading">
      <h2 id="import-heading">{t("desk.import.title")}</h2>
      <form class="stack" noValidate onSubmit={submit}>
        <SelectField field="import-format" label={t("desk.import.format")} options={FORMATS.map((f) => ({ value: f, label: t(`desk.import.formats.${f}`) }))} value={format} onChange={setFormat} />
        <FieldShell field="content" label={t("desk.import.file")} hint={t("desk.import.fileHint")} error={submission.fieldErrors.content}>
          {(describedBy, id) => (
            <input id={id} type="file" accept=".json,.jsonl,.csv,.ndjson,.txt" aria-describedby={describedBy} aria-invalid={submission.fieldErrors.content ? true : undefined} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          )}
        </FieldShell>
        <FormStatus error={submission.formError} notice={notice} />
        <SubmitButton pending={submission.pending} label={t("desk.import.submit")} />
      </form>
    </section>
  );
}
