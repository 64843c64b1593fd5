import type { ComponentChildren } from "preact";
import { useRef, useState } from "preact/hooks";
import { ApiError } from "./api.ts";
import { t } from "./i18n.ts";

export type FieldErrors = Record<string, string>;

/** A translated message for any failure: the problem's stable code, else a network or generic message. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    const message = t(key);
    return message === key ? t("errors.generic", { status: error.status }) : message;
  }
  return t("errors.generic", { status: 0 });
}

/** The form field a problem names, without the request part (body.charter.purpose → charter.purpose). */
export function problemField(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  return error.field.replace(/^(body|params|querystring)\.?/, "") || undefined;
}

interface Check {
  field: string;
  value: string;
  required?: boolean;
  max?: number;
}

/** Client-side checks before anything is sent: empty required fields and text over the limit. */
export function checkFields(checks: readonly Check[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const check of checks) {
    if (check.required && check.value.trim() === "") errors[check.field] = t("errors.required");
    else if (check.max !== undefined && check.value.length > check.max) errors[check.field] = t("errors.too_long", { max: check.max, count: check.value.length });
  }
  return errors;
}

/**
 * Runs a submission once at a time: `pending` disables the submit button, a second submit while
 * pending is ignored, failures become a translated form message or an inline field error.
 */
export function useSubmission(knownFields: readonly string[] = []) {
  const [pending, setPending] = useState(false);
  const [formError, setFormError] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const inFlight = useRef(false);

  async function run<T>(work: () => Promise<T>, checks: FieldErrors = {}): Promise<T | undefined> {
    if (inFlight.current) return undefined;
    setFormError("");
    setFieldErrors(checks);
    if (Object.keys(checks).length > 0) {
      focusFirstInvalid(Object.keys(checks));
      return undefined;
    }
    inFlight.current = true;
    setPending(true);
    try {
      return await work();
    } catch (error) {
      const field = problemField(error);
      if (field && knownFields.includes(field)) {
        setFieldErrors({ [field]: errorMessage(error) });
        focusFirstInvalid([field]);
      } else setFormError(errorMessage(error));
      return undefined;
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }
  return { pending, formError, fieldErrors, run, setFormError };
}

export function fieldId(field: string): string {
  return `f-${field.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
}

function focusFirstInvalid(fields: readonly string[]): void {
  queueMicrotask(() => {
    for (const field of fields) {
      const element = document.getElementById(fieldId(field));
      if (element) {
        element.focus();
        return;
      }
    }
  });
}

/** The form's live status line: failures are announced to screen readers as they appear. */
export function FormStatus({ error, notice }: { error?: string; notice?: string }) {
  return (
    <div class="form-status" aria-live="assertive" role="status">
      {error ? <p class="error-text">{error}</p> : notice ? <p class="notice-text">{notice}</p> : null}
    </div>
  );
}

interface FieldShellProps {
  field: string;
  label: string;
  hint?: string;
  error?: string;
  children: (describedBy: string | undefined, id: string) => ComponentChildren;
}

/** Label, control, hint and inline error, wired together with aria-describedby. */
export function FieldShell({ field, label, hint, error, children }: FieldShellProps) {
  const id = fieldId(field);
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field${error ? " field-invalid" : ""}`}>
      <label for={id}>{label}</label>
      {children(describedBy, id)}
      {hint ? (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface TextFieldProps {
  field: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: string;
  error?: string;
  required?: boolean;
  multiline?: boolean;
  type?: string;
  autocomplete?: string;
  max?: number;
}

export function TextField(props: TextFieldProps) {
  const { field, label, value, onInput, hint, error, required, multiline, type = "text", autocomplete, max } = props;
  const counter = max !== undefined ? t("form.count", { count: value.length, max }) : undefined;
  const fullHint = [hint, counter].filter(Boolean).join(" ") || undefined;
  return (
    <FieldShell field={field} label={required ? `${label} ${t("form.requiredMark")}` : label} hint={fullHint} error={error}>
      {(describedBy, id) =>
        multiline ? (
          <textarea id={id} name={field} value={value} rows={4} aria-required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy} onInput={(e) => onInput(e.currentTarget.value)} />
        ) : (
          <input id={id} name={field} type={type} value={value} autocomplete={autocomplete} aria-required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy} onInput={(e) => onInput(e.currentTarget.value)} />
        )
      }
    </FieldShell>
  );
}

export function SubmitButton({ pending, label, pendingLabel }: { pending: boolean; label: string; pendingLabel?: string }) {
  return (
    <button type="submit" class="primary" disabled={pending} aria-disabled={pending}>
      {pending ? (pendingLabel ?? t("form.sending")) : label}
    </button>
  );
}
