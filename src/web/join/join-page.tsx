import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../lib/api.ts";
import { FormStatus, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { loadContext, type ContextData } from "../lib/participation.ts";
import { navigate } from "../lib/router.tsx";
import { useTitle } from "../lib/title.ts";
import type { Joined } from "../lib/types.ts";
import { CharterSummary } from "./charter-summary.tsx";
import { ConsentForm } from "./consent-form.tsx";

type Step = "invitation" | "charter" | "consent";

/** Invitation → the charter in plain language → consent choices → judging. */
export default function JoinPage({ token }: Record<string, string>) {
  const [step, setStep] = useState<Step>("invitation");
  const [context, setContext] = useState<ContextData | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useTitle(t(`join.steps.${step}`));
  useEffect(() => {
    if (step !== "invitation") heading.current?.focus();
  }, [step]);
  const submission = useSubmission();
  const accept = () =>
    void submission.run(async () => {
      const joined = await api.post<Joined>(`/api/invitations/${encodeURIComponent(token ?? "")}/join`, {});
      setContext(await loadContext(joined.evaluationId));
      setStep("charter");
    });
  const charter = context?.detail.charter;
  return (
    <section class="join">
      <p class="steps" aria-label={t("join.progress")}>
        {t("join.stepOf", { step: ["invitation", "charter", "consent"].indexOf(step) + 1, total: 3 })}
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {t(`join.steps.${step}`)}
      </h1>
      {step === "invitation" ? (
        <>
          <p class="lead">{t("join.welcome")}</p>
          <ul>
            <li>{t("join.point1")}</li>
            <li>{t("join.point2")}</li>
            <li>{t("join.point3")}</li>
          </ul>
          <FormStatus error={submission.formError} />
          <button type="button" class="primary" disabled={submission.pending} onClick={accept}>
            {submission.pending ? t("form.sending") : t("join.accept")}
          </button>
        </>
      ) : null}
      {step === "charter" && context && charter ? (
        <>
          <p class="lead">{context.detail.evaluation.title}</p>
          <CharterSummary charter={charter.content} version={charter.version} />
          <button type="button" class="primary" onClick={() => setStep("consent")}>
            {t("join.toConsent")}
          </button>
        </>
      ) : null}
      {step === "consent" && context && charter ? (
        <ConsentForm
          evaluationId={context.detail.evaluation.id}
          offered={charter.content.scopes}
          granted={context.me?.consent?.scopes ?? []}
          communities={context.me?.participant.communities ?? []}
          askCommunities
          submitLabel={t("consent.submit")}
          onSaved={() => navigate(`/e/${context.detail.evaluation.slug}/judge`)}
        />
      ) : null}
    </section>
  );
}
