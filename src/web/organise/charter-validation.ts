import type { FieldErrors } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { NUMBER_SPECS, TEXT_SPECS, type CharterDraft } from "./charter-draft.ts";

function numberError(raw: string, spec: { min: number; max: number; integer: boolean }): string | undefined {
  const value = Number(raw);
  if (raw.trim() === "") return t("errors.required");
  if (!Number.isFinite(value) || (spec.integer && !Number.isInteger(value)) || value < spec.min || value > spec.max) {
    return t(spec.integer ? "errors.integer_range" : "errors.number_range", { min: spec.min, max: spec.max });
  }
  return undefined;
}

/** Every check the server makes that a person can fix before sending. */
export function validateDraft(draft: CharterDraft): FieldErrors {
  const errors: FieldErrors = {};
  for (const spec of TEXT_SPECS) {
    const value = draft.text[spec.path] ?? "";
    if (spec.required && value.trim() === "") errors[spec.path] = t("errors.required");
    else if (value.length > spec.max) errors[spec.path] = t("errors.too_long", { max: spec.max, count: value.length });
  }
  if (!errors.slug && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(draft.text.slug ?? "")) errors.slug = t("errors.slug");
  if (!errors["charter.pay.currency"] && !/^[A-Z]{3}$/.test(draft.text["charter.pay.currency"] ?? "")) errors["charter.pay.currency"] = t("errors.currency");
  for (const spec of NUMBER_SPECS) {
    const shownSpec = spec.percent ? { ...spec, min: spec.min * 100, max: spec.max * 100 } : spec;
    const error = numberError(draft.numbers[spec.path] ?? "", shownSpec);
    if (error) errors[spec.path] = error;
  }
  if (draft.scopes.length === 0) errors["charter.scopes"] = t("errors.pick_one");
  if (draft.rules.length === 0) errors["charter.rules"] = t("errors.pick_one");
  if (draft.languages.length === 0) errors["charter.languages"] = t("errors.pick_one");
  draft.rubric.forEach((d, i) => {
    const base = `charter.rubric.${i}`;
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(d.name)) errors[`${base}.name`] = t("errors.identifier");
    if (d.label.trim() === "") errors[`${base}.label`] = t("errors.required");
    const min = numberError(d.min, { min: -1000, max: 1000, integer: true });
    const max = numberError(d.max, { min: -1000, max: 1000, integer: true });
    if (min) errors[`${base}.min`] = min;
    if (max) errors[`${base}.max`] = max;
    if (!min && !max && Number(d.max) <= Number(d.min)) errors[`${base}.max`] = t("errors.max_above_min");
  });
  return errors;
}
