import { useEffect, useRef, useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { errorMessage, FormStatus, useSubmission } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { loadContext, type ContextData } from "../lib/participation.ts";
import { Link, navigate } from "../lib/router.tsx";
import { useTitle } from "../lib/title.ts";
import type { EvaluationDetail, InvitationPreview, Joined } from "../lib/types.ts";
import { CharterSummary } from "./charter-summary.tsx";
import { ConsentForm } from "./consent-form.tsx";

type Step = "invitation" | "charter" | "consent";

/** What admits this visitor: an invitation link (checked before its pitch is shown), or an evaluation open to all. */
type Door = { kind: "invitation"; token: string; title: string } | { kind: "open"; id: string; title: string };

async function openDoor(token: string | undefined, id: string | undefined): Promise<Door | { kind: "closed"; title: string; sponsor: string } | { kind: "member"; slug: string }> {
  if (token) {
    const preview = await api.get<InvitationPreview>(`/api/invitations/${encodeURIComponent(token)}`);
    return { kind: "invitation", token, title: preview.evaluation.title };
  }
  const detail = await api.get<EvaluationDetail>(evaluationPath(id ?? ""));
  if (detail.role === "participant") return { kind: "member", slug: detail.evaluation.slug };
  const charter = detail.charter?.content;
  if (!charter?.openParticipation || detail.evaluation.status !== "open") return { kind: "closed", title: detail.evaluation.title, sponsor: charter?.sponsor ?? "" };
  return { kind: "open", id: detail.evaluation.id, title: detail.evaluation.title };
}

/** Invitation (or open door) → the charter in plain language → consent choices → judging. */
export default function JoinPage({ token, id }: Record<string, string>) {
  useTitle(t("join.steps.invitation"));
  const door = useLoad(() => openDoor(token, id), [token, id]);
  if (door.error) {
    return (
      <section class="join">
        <h1>{t("journey.join.invalidTitle")}</h1>
        <p class="error-text" role="alert">
          {errorMessage(door.error)}
        </p>
        <p>{t("journey.join.invalidHelp")}</p>
        <p>
          <Link href="/">{t("nav.home")}</Link>
        </p>
      </section>
    );
  }
  return (
    <Async state={door}>
      {(d) => {
        if (d.kind === "member") {
          navigate(`/e/${d.slug}/judge`);
          return null;
        }
        if (d.kind === "closed") return <InvitationOnly title={d.title} sponsor={d.sponsor} />;
        return <JoinSteps door={d} />;
      }}
    </Async>
  );
}

function InvitationOnly({ title, sponsor }: { title: string; sponsor: string }) {
  return (
    <section class="join">
      <h1>{title}</h1>
      <div class="callout">
        <p>{t("journey.join.byInvitation", { sponsor })}</p>
        <p>
          <Link href="/">{t("nav.home")}</Link>
        </p>
      </div>
    </section>
  );
}

function JoinSteps({ door }: { door: Door }) {
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
      const path = door.kind === "invitation" ? `/api/invitations/${encodeURIComponent(door.token)}/join` : evaluationPath(door.id, "/join");
      const joined = await api.post<Joined>(path, {});
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
        {step === "invitation" && door.kind === "open" ? t("journey.join.openTitle") : t(`join.steps.${step}`)}
      </h1>
      {step === "invitation" ? (
        <>
          <p class="lead">{door.kind === "open" ? t("journey.join.openWelcome", { title: door.title }) : t("join.welcome")}</p>
          {door.kind === "invitation" ? <p dir="auto">{door.title}</p> : null}
          <ul>
            <li>{t("join.point1")}</li>
            <li>{t("join.point2")}</li>
            <li>{t("join.point3")}</li>
          </ul>
          <FormStatus error={submission.formError} />
          <button type="button" class="primary" disabled={submission.pending} onClick={accept}>
            {submission.pending ? t("form.sending") : door.kind === "open" ? t("journey.join.takePart") : t("join.accept")}
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
