import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { SelectField } from "../lib/choices.tsx";
import { FieldShell, FormStatus, useSubmission } from "../lib/form.tsx";
import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import type { AnsweredList, ImportSummary, Item, Subject } from "../lib/types.ts";
import { csvHeader, csvLine, saveFile } from "./csv.ts";

const MAX_BYTES = 20 * 1024 * 1024;
const FIELDS = ["item", "subject", "response"] as const;
type Field = (typeof FIELDS)[number];
/** Column names other tools use, tried in order when guessing which column holds what. */
const GUESSES: Record<Field, readonly string[]> = {
  item: ["item", "item_id", "external_id", "title", "prompt", "question", "instruction"],
  subject: ["subject", "model", "model_name", "system", "name"],
  response: ["response", "answer", "output", "completion", "text"],
};

interface Props {
  evaluationId: string;
  subjects: readonly Pick<Subject, "id" | "name">[];
  items: readonly Pick<Item, "id" | "title" | "prompt" | "externalRef">[];
  answers: AnsweredList["answers"];
  onImported: () => void;
}

/** A file of answers: a template to fill, its columns mapped, a preview of what it fills, then the import. */
export function AnswersUpload({ evaluationId, subjects, items, answers, onImported }: Props) {
  const [file, setFile] = useState<{ name: string; content: string; format: "outputs-csv" | "outputs-jsonl"; columns: string[] } | null>(null);
  const [mapping, setMapping] = useState<Record<Field, string>>({ item: "", subject: "", response: "" });
  const [preview, setPreview] = useState<ImportSummary | null>(null);
  const [notice, setNotice] = useState("");
  const submission = useSubmission(["answers-file"]);

  const template = () => {
    const done = new Set(answers.map((a) => `${a.itemId}|${a.subjectId}`));
    const rows = items.flatMap((item) => subjects.filter((s) => !done.has(`${item.id}|${s.id}`)).map((s) => csvLine([item.externalRef ?? (item.title || item.id), s.name, ""])));
    const example = rows.length > 0 ? rows : [csvLine([t("journey.upload.exampleItem"), t("journey.upload.exampleSubject"), t("journey.upload.exampleAnswer")])];
    saveFile("answers-template.csv", [csvLine(["item", "subject", "response"]), ...example].join("\r\n") + "\r\n", "text/csv");
  };

  const pick = async (picked: File | null) => {
    setPreview(null);
    setNotice("");
    submission.setFormError("");
    if (!picked) return setFile(null);
    if (picked.size > MAX_BYTES) return submission.setFormError(t("desk.import.tooLarge", { mb: MAX_BYTES / 1024 / 1024 }));
    const content = await picked.text();
    const jsonl = /\.(jsonl|ndjson)$/i.test(picked.name);
    const columns = jsonl ? jsonKeys(content) : csvHeader(content);
    setFile({ name: picked.name, content, format: jsonl ? "outputs-jsonl" : "outputs-csv", columns });
    const lower = columns.map((c) => c.toLowerCase());
    const guess = (field: Field) => columns[lower.findIndex((c) => GUESSES[field].includes(c))] ?? "";
    setMapping({ item: guess("item"), subject: guess("subject"), response: guess("response") });
  };

  const send = (dryRun: boolean) => {
    setNotice("");
    const checks: Record<string, string> = {};
    if (!file) checks["answers-file"] = t("desk.import.pickFile");
    else if (FIELDS.some((f) => !mapping[f])) checks["answers-file"] = t("journey.upload.mapAll");
    void submission.run(async () => {
      if (!file) return;
      const body = { format: file.format, content: file.content, fileName: file.name.slice(0, 300), dryRun, columns: mapping };
      const result = await api.post<ImportSummary>(evaluationPath(evaluationId, "/imports"), body);
      if (dryRun) setPreview(result);
      else {
        setPreview(null);
        setNotice(t("journey.upload.done", { responses: formatNumber(result.preview?.responses.added ?? result.responses), kept: formatNumber(result.preview?.responses.alreadyAnswered ?? 0) }));
        onImported();
      }
    }, checks);
  };

  return (
    <section aria-labelledby="answers-upload-heading">
      <h2 id="answers-upload-heading">{t("journey.upload.title")}</h2>
      <p class="hint">{t("journey.upload.intro")}</p>
      <p>
        <button type="button" class="secondary" onClick={template}>
          {t("journey.upload.template")}
        </button>
      </p>
      <div class="stack">
        <FieldShell field="answers-file" label={t("journey.upload.file")} hint={t("journey.upload.fileHint")} error={submission.fieldErrors["answers-file"]}>
          {(describedBy, id) => <input id={id} type="file" accept=".csv,.jsonl,.ndjson,.txt" aria-describedby={describedBy} onChange={(e) => void pick(e.currentTarget.files?.[0] ?? null)} />}
        </FieldShell>
        {file ? (
          <fieldset>
            <legend>{t("journey.upload.columns")}</legend>
            {FIELDS.map((f) => (
              <SelectField
                key={f}
                field={`column-${f}`}
                label={t(`journey.upload.column.${f}`)}
                options={[{ value: "", label: t("journey.upload.choose") }, ...file.columns.map((c) => ({ value: c, label: c }))]}
                value={mapping[f]}
                onChange={(value) => {
                  setPreview(null);
                  setMapping({ ...mapping, [f]: value });
                }}
              />
            ))}
          </fieldset>
        ) : null}
        <FormStatus error={submission.formError} notice={notice} />
        <div class="button-row">
          <button type="button" class="secondary" disabled={submission.pending} onClick={() => send(true)}>
            {t("journey.upload.preview")}
          </button>
          {preview ? (
            <button type="button" class="primary" disabled={submission.pending} onClick={() => send(false)}>
              {t("journey.upload.import", { count: preview.preview?.responses.added ?? 0 })}
            </button>
          ) : null}
        </div>
      </div>
      {preview?.preview ? <UploadPreview preview={preview.preview} /> : null}
    </section>
  );
}

function UploadPreview({ preview }: { preview: NonNullable<ImportSummary["preview"]> }) {
  const newItems = preview.items.filter((i) => i.match === "new").length;
  return (
    <div class="card" id="answers-preview" role="status">
      <h3>{t("journey.upload.previewTitle")}</h3>
      <p>{t("journey.upload.previewResponses", { added: formatNumber(preview.responses.added), kept: formatNumber(preview.responses.alreadyAnswered) })}</p>
      {newItems > 0 ? <p class="warning">{t("journey.upload.newItems", { count: newItems })}</p> : null}
      <ul>
        {preview.items.map((i) => (
          <li key={i.ref} dir="auto">
            {i.match === "new" ? t("journey.upload.itemNew", { ref: i.ref }) : t(`journey.upload.itemMatched.${i.match}`, { ref: i.ref, title: i.title || i.ref })}
          </li>
        ))}
        {preview.subjects.map((s) => (
          <li key={s.name} dir="auto">
            {t(s.exists ? "journey.upload.subjectKnown" : "journey.upload.subjectNew", { name: s.name })}
          </li>
        ))}
      </ul>
    </div>
  );
}

function jsonKeys(content: string): string[] {
  const first = content.split(/\r?\n/).find((line) => line.trim() !== "");
  try {
    const value: unknown = JSON.parse(first ?? "");
    return value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : [];
  } catch {
    return [];
  }
}
