import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { checkFields, FormStatus, SubmitButton, TextField, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import type { ConsentScope } from "../lib/types.ts";

interface Props {
  evaluationId: string;
  offered: readonly ConsentScope[];
  granted: readonly ConsentScope[];
  communities?: readonly string[];
  askCommunities: boolean;
  submitLabel: string;
  onSaved: (scopes: ConsentScope[]) => void;
}

/** One checkbox per scope the charter offers, each explained; communities are optional and free text. */
export function ConsentForm({ evaluationId, offered, granted, communities = [], askCommunities, submitLabel, onSaved }: Props) {
  const [scopes, setScopes] = useState<ConsentScope[]>([...granted]);
  const [communityText, setCommunityText] = useState(communities.join(", "));
  const submission = useSubmission(["scopes", "communities"]);
  const toggle = (scope: ConsentScope) => setScopes(scopes.includes(scope) ? scopes.filter((s) => s !== scope) : [...scopes, scope]);
  const submit = (event: Event) => {
    event.preventDefault();
    const checks = checkFields([{ field: "communities", value: communityText, max: 800 }]);
    if (scopes.length === 0) checks.scopes = t("consent.pickOne");
    void submission.run(async () => {
      await api.put(evaluationPath(evaluationId, "/consent"), { scopes });
      const list = communityText.split(",").map((c) => c.trim()).filter(Boolean);
      if (askCommunities && list.length > 0) await api.put(evaluationPath(evaluationId, "/communities"), { communities: list });
      onSaved(scopes);
    }, checks);
  };
  const scopeError = submission.fieldErrors.scopes;
  return (
    <form class="stack" noValidate onSubmit={submit}>
      <fieldset id="f-scopes" tabIndex={-1} aria-describedby={scopeError ? "f-scopes-error" : undefined}>
        <legend>{t("consent.legend")}</legend>
        <p class="hint">{t("consent.intro")}</p>
        {offered.map((scope) => (
          <div key={scope} class="scope">
            <input type="checkbox" id={`scope-${scope}`} checked={scopes.includes(scope)} onChange={() => toggle(scope)} aria-describedby={`scope-${scope}-explain`} />
            <label for={`scope-${scope}`}>{t(`scopes.${scope}.name`)}</label>
            <p id={`scope-${scope}-explain`} class="hint">
              {t(`scopes.${scope}.explain`)}
            </p>
          </div>
        ))}
        {scopeError ? (
          <p id="f-scopes-error" class="field-error">
            {scopeError}
          </p>
        ) : null}
      </fieldset>
      {askCommunities ? <TextField field="communities" label={t("consent.communities")} hint={t("consent.communitiesHint")} value={communityText} onInput={setCommunityText} error={submission.fieldErrors.communities} /> : null}
      <FormStatus error={submission.formError} />
      <SubmitButton pending={submission.pending} label={submitLabel} />
    </form>
  );
}
