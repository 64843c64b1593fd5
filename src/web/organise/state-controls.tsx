import { api, evaluationPath } from "../lib/api.ts";
import { FormStatus, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { PHASES, type Evaluation, type Phase, type Status } from "../lib/types.ts";

const NEXT: Record<Status, Status[]> = { draft: ["open"], open: ["closed"], closed: ["open", "published"], published: [] };

/** Open, close, reopen and publish; move between the judging, deliberation and revision phases. */
export function StateControls({ evaluation, ready, onChanged }: { evaluation: Evaluation; ready: boolean; onChanged: () => void }) {
  const submission = useSubmission();
  const change = (body: { status?: Status; phase?: Phase }) =>
    void submission.run(async () => {
      await api.patch(evaluationPath(evaluation.id), body);
      onChanged();
    });
  return (
    <section aria-labelledby="state-heading">
      <h2 id="state-heading">{t("organise.state")}</h2>
      {evaluation.status === "draft" && !ready ? <p class="warning">{t("journey.answers.openWarning")}</p> : null}
      <div class="button-row">
        {NEXT[evaluation.status].map((status) => (
          <button key={status} type="button" class={status === "published" ? "primary" : "secondary"} disabled={submission.pending} onClick={() => change({ status })}>
            {t(`organise.to.${status}`)}
          </button>
        ))}
      </div>
      <fieldset>
        <legend>{t("organise.phase")}</legend>
        <div class="button-row">
          {PHASES.map((phase) => (
            <button key={phase} type="button" class="secondary" aria-pressed={evaluation.phase === phase} disabled={submission.pending || evaluation.phase === phase} onClick={() => change({ phase })}>
              {t(`phases.${phase}`)}
            </button>
          ))}
        </div>
      </fieldset>
      <FormStatus error={submission.formError} />
    </section>
  );
}
