import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { FormStatus, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import type { ConsentScope } from "../lib/types.ts";

/** Revoke one scope, or everything at once; the change is recorded and enforced by every export and result. */
export function RevokeConsent({ evaluationId, granted, onChanged }: { evaluationId: string; granted: readonly ConsentScope[]; onChanged: () => void }) {
  const submission = useSubmission();
  const [notice, setNotice] = useState("");
  const revoke = (scopes?: ConsentScope[]) =>
    void submission.run(async () => {
      await api.post(evaluationPath(evaluationId, "/consent/revoke"), scopes ? { scopes } : {});
      setNotice(scopes ? t("myData.revokedOne", { scope: t(`scopes.${scopes[0]}.name`) }) : t("myData.revokedAll"));
      onChanged();
    });
  return (
    <section aria-labelledby="revoke-heading">
      <h2 id="revoke-heading">{t("myData.revoke")}</h2>
      <p class="hint">{t("myData.revokeHint")}</p>
      {granted.length > 0 ? (
        <div class="button-row">
          {granted.map((scope) => (
            <button key={scope} type="button" class="secondary" disabled={submission.pending} onClick={() => revoke([scope])}>
              {t("myData.revokeScope", { scope: t(`scopes.${scope}.name`) })}
            </button>
          ))}
          <button type="button" class="danger" disabled={submission.pending} onClick={() => revoke()}>
            {t("myData.revokeAll")}
          </button>
        </div>
      ) : null}
      <FormStatus error={submission.formError} notice={notice} />
    </section>
  );
}
