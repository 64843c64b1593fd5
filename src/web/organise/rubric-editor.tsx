import { TextField, type FieldErrors } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import type { RubricDraft } from "./charter-draft.ts";

/** The rubric for ratings: add, edit and remove dimensions, each with its own scale. */
export function RubricEditor({ rubric, errors, onChange }: { rubric: RubricDraft[]; errors: FieldErrors; onChange: (rubric: RubricDraft[]) => void }) {
  const update = (index: number, change: Partial<RubricDraft>) => onChange(rubric.map((d, i) => (i === index ? { ...d, ...change } : d)));
  return (
    <fieldset class="rubric">
      <legend>{t("organise.fields.charter_rubric.label")}</legend>
      <p class="hint">{t("organise.fields.charter_rubric.hint")}</p>
      {rubric.map((d, i) => {
        const base = `charter.rubric.${i}`;
        return (
          <fieldset key={i} class="rubric-dimension">
            <legend>{t("organise.rubric.dimension", { n: i + 1 })}</legend>
            <TextField field={`${base}.name`} label={t("organise.rubric.name")} hint={t("organise.rubric.nameHint")} value={d.name} onInput={(name) => update(i, { name })} required error={errors[`${base}.name`]} />
            <TextField field={`${base}.label`} label={t("organise.rubric.label")} value={d.label} onInput={(label) => update(i, { label })} required error={errors[`${base}.label`]} />
            <TextField field={`${base}.description`} label={t("organise.rubric.description")} value={d.description} onInput={(description) => update(i, { description })} multiline />
            <div class="inline-fields">
              <TextField field={`${base}.min`} type="number" label={t("organise.rubric.min")} value={d.min} onInput={(min) => update(i, { min })} required error={errors[`${base}.min`]} />
              <TextField field={`${base}.max`} type="number" label={t("organise.rubric.max")} value={d.max} onInput={(max) => update(i, { max })} required error={errors[`${base}.max`]} />
            </div>
            <button type="button" class="secondary" onClick={() => onChange(rubric.filter((_, j) => j !== i))}>
              {t("organise.rubric.remove", { n: i + 1 })}
            </button>
          </fieldset>
        );
      })}
      <button type="button" class="secondary" onClick={() => onChange([...rubric, { name: "", label: "", description: "", min: "1", max: "5" }])}>
        {t("organise.rubric.add")}
      </button>
    </fieldset>
  );
}
