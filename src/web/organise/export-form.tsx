import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { SelectField } from "../lib/choices.tsx";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { formatDate, formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { EXPORT_FORMATS as FORMATS, EXPORT_SCOPES, type ConsentScope, type ExportResult } from "../lib/types.ts";

function download(file: { path: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: "application/octet-stream" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = file.path.split("/").pop() ?? "export";
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The only way data leaves: each contribution filtered by its contributor's consent, refused under withholding, audited. */
export function ExportForm({ evaluationId, offered }: { evaluationId: string; offered: readonly ConsentScope[] }) {
  const scopes = offered.filter((s) => (EXPORT_SCOPES as readonly string[]).includes(s));
  const [scope, setScope] = useState<string>(scopes[0] ?? "publish");
  const [recipient, setRecipient] = useState("");
  const [purpose, setPurpose] = useState("");
  const [format, setFormat] = useState<string>("jsonl");
  const [result, setResult] = useState<ExportResult | null>(null);
  const submission = useSubmission(["recipient", "purpose"]);
  const submit = (event: Event) => {
    event.preventDefault();
    setResult(null);
    const checks = checkFields([
      { field: "recipient", value: recipient, required: true, max: 300 },
      { field: "purpose", value: purpose, required: true, max: 2000 },
    ]);
    void submission.run(async () => setResult(await api.post<ExportResult>(evaluationPath(evaluationId, "/exports"), { scope, recipient: recipient.trim(), purpose: purpose.trim(), format })), checks);
  };
  return (
    <section aria-labelledby="export-heading">
      <h2 id="export-heading">{t("desk.export.title")}</h2>
      <p class="hint">{t("desk.export.intro")}</p>
      {scopes.length === 0 ? (
        <p>{t("desk.export.noScopes")}</p>
      ) : (
        <form class="stack" noValidate onSubmit={submit}>
          <SelectField field="export-scope" label={t("desk.export.scope")} options={scopes.map((s) => ({ value: s, label: t(`scopes.${s}.name`) }))} value={scope} onChange={setScope} />
          <TextField field="recipient" label={t("record.recipient")} value={recipient} onInput={setRecipient} required error={submission.fieldErrors.recipient} />
          <TextField field="purpose" label={t("record.purpose")} value={purpose} onInput={setPurpose} multiline required error={submission.fieldErrors.purpose} />
          <SelectField field="export-format" label={t("desk.export.format")} options={FORMATS.map((f) => ({ value: f, label: t(`desk.export.formats.${f}`) }))} value={format} onChange={setFormat} />
          <FormStatus error={submission.formError} />
          <SubmitButton pending={submission.pending} label={t("desk.export.submit")} />
        </form>
      )}
      {result ? <AuditRecord result={result} /> : null}
    </section>
  );
}

function AuditRecord({ result: { record, files } }: { result: ExportResult }) {
  const excluded = Object.entries(record.excluded);
  return (
    <div class="card" id="export-audit" role="status">
      <h3>{t("desk.export.audited")}</h3>
      <dl>
        <dt>{t("myData.when")}</dt>
        <dd>{formatDate(record.createdAt)}</dd>
        <dt>{t("record.included")}</dt>
        <dd>{formatNumber(record.includedCount)}</dd>
        <dt>{t("record.excluded")}</dt>
        <dd lang="en">{excluded.length ? excluded.map(([reason, n]) => `${reason}: ${formatNumber(n)}`).join("; ") : "—"}</dd>
        <dt>{t("record.fingerprint")}</dt>
        <dd>
          <code class="hash">{record.contentHash}</code>
        </dd>
        <dt>{t("myData.version")}</dt>
        <dd>{record.charterVersion}</dd>
      </dl>
      <div class="button-row">
        {files.map((file) => (
          <button key={file.path} type="button" class="secondary" onClick={() => download(file)}>
            {t("desk.export.download", { file: file.path })}
          </button>
        ))}
      </div>
    </div>
  );
}
