import { useState } from "preact/hooks";
import { checkFields, fieldId, TextField } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { CONTEST_TARGETS, type Judgment } from "../lib/types.ts";

/** Abstain, or contest one of the things a judgment can contest. */
const CHOICES = ["abstain", ...CONTEST_TARGETS] as const;
type Choice = (typeof CHOICES)[number];

interface Props {
  limit: number;
  pending: boolean;
  error?: string;
  onSubmit: (judgment: Extract<Judgment, { kind: "abstention" | "contest" }>) => void;
}

/** Abstaining and contesting are answers too: say which, and why. */
export function SetAsideForm({ limit, pending, error, onSubmit }: Props) {
  const [choice, setChoice] = useState<Choice>("abstain");
  const [reason, setReason] = useState("");
  const [localError, setLocalError] = useState<string | undefined>();
  const submit = (event: Event) => {
    event.preventDefault();
    const errors = checkFields([{ field: "reason", value: reason, required: true, max: limit }]);
    setLocalError(errors.reason);
    if (errors.reason) {
      document.getElementById(fieldId("reason"))?.focus();
      return;
    }
    const text = reason.trim();
    onSubmit(choice === "abstain" ? { kind: "abstention", reason: text } : { kind: "contest", target: choice, reason: text });
  };
  return (
    <details class="set-aside">
      <summary>{t("judge.setAside.open")}</summary>
      <form noValidate onSubmit={submit}>
        <fieldset>
          <legend>{t("judge.setAside.legend")}</legend>
          {CHOICES.map((c) => (
            <label key={c} class="choice">
              <input type="radio" name="set-aside" value={c} checked={choice === c} onChange={() => setChoice(c)} />
              {t(`judge.setAside.${c}`)}
            </label>
          ))}
        </fieldset>
        <TextField field="reason" label={t("judge.setAside.reason")} value={reason} onInput={setReason} multiline required max={limit} error={localError ?? error} />
        <button type="submit" class="secondary" disabled={pending}>
          {choice === "abstain" ? t("judge.setAside.submitAbstain") : t("judge.setAside.submitContest")}
        </button>
      </form>
    </details>
  );
}
