import { FieldShell, fieldId } from "./form.tsx";

export interface Option {
  value: string;
  label: string;
  hint?: string;
}

interface GroupProps {
  field: string;
  legend: string;
  hint?: string;
  options: readonly Option[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  error?: string;
}

/** A fieldset of checkboxes; the group carries the inline error and is focusable to show it. */
export function CheckboxGroup({ field, legend, hint, options, selected, onChange, error }: GroupProps) {
  const id = fieldId(field);
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const toggle = (value: string) => onChange(selected.includes(value) ? selected.filter((v) => v !== value) : [...selected, value]);
  return (
    <fieldset id={id} tabIndex={-1} class={error ? "field-invalid" : undefined} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {hint ? (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      ) : null}
      {options.map((option) => {
        const optionId = `${id}-${option.value}`;
        return (
          <div key={option.value} class="scope">
            <input type="checkbox" id={optionId} checked={selected.includes(option.value)} onChange={() => toggle(option.value)} aria-describedby={option.hint ? `${optionId}-hint` : undefined} />
            <label for={optionId}>{option.label}</label>
            {option.hint ? (
              <p id={`${optionId}-hint`} class="hint">
                {option.hint}
              </p>
            ) : null}
          </div>
        );
      })}
      {error ? (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

interface SelectProps {
  field: string;
  label: string;
  hint?: string;
  options: readonly Option[];
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

export function SelectField({ field, label, hint, options, value, onChange, error }: SelectProps) {
  return (
    <FieldShell field={field} label={label} hint={hint} error={error}>
      {(describedBy, id) => (
        <select id={id} value={value} aria-describedby={describedBy} aria-invalid={error ? true : undefined} onChange={(e) => onChange(e.currentTarget.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

export function CheckboxField({ field, label, hint, checked, onChange }: { field: string; label: string; hint?: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = fieldId(field);
  return (
    <div class="scope">
      <input type="checkbox" id={id} checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} aria-describedby={hint ? `${id}-hint` : undefined} />
      <label for={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
