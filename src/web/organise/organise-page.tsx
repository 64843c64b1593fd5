import { api } from "../lib/api.ts";
import { FormStatus, useSubmission } from "../lib/form.tsx";
import { evaluationCounts } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { Link } from "../lib/router.tsx";
import { useTitle } from "../lib/title.ts";
import type { EvaluationList } from "../lib/types.ts";
import { AuthForm } from "./auth-form.tsx";
import { organiserSession } from "./session.ts";

/** The organiser's desk: sign in, then the evaluations you can see and a way to start a new one. */
export default function OrganisePage() {
  useTitle(t("organise.title"));
  const session = useLoad(organiserSession, []);
  return (
    <section>
      <h1>{t("organise.title")}</h1>
      <Async state={{ ...session, data: session.loading ? undefined : { session: session.data ?? null } }}>
        {({ session: current }) => (current ? <Desk name={current.user.name} onSignedOut={session.reload} /> : <AuthForm onSignedIn={session.reload} />)}
      </Async>
    </section>
  );
}

function Desk({ name, onSignedOut }: { name: string; onSignedOut: () => void }) {
  const list = useLoad(() => api.get<EvaluationList>("/api/evaluations"), []);
  const leaving = useSubmission();
  const signOut = () =>
    void leaving.run(async () => {
      await api.post("/api/auth/sign-out", {});
      onSignedOut();
    });
  return (
    <>
      <div class="button-row">
        <p>{t("organise.signedInAs", { name })}</p>
        <button type="button" class="secondary" disabled={leaving.pending} onClick={signOut}>
          {t("journey.signOut")}
        </button>
      </div>
      <FormStatus error={leaving.formError} />
      <p>
        <Link href="/organise/new" class="button primary">
          {t("organise.new")}
        </Link>
      </p>
      <h2>{t("organise.yours")}</h2>
      <Async state={list}>
        {({ evaluations }) => {
          // Only what this organiser may manage: a public evaluation of someone else is on the home page.
          const mine = evaluations.filter((e) => e.myRole === "organiser");
          return mine.length === 0 ? (
            <p>{t("journey.noneYours")}</p>
          ) : (
          <ul class="plain-list">
            {mine.map((e) => (
              <li key={e.id} class="card">
                <Link href={`/organise/${e.slug}`}>{e.title}</Link>
                <p class="muted">
                  {t(`status.${e.status}`)} · {evaluationCounts(e.counts)}
                </p>
              </li>
            ))}
          </ul>
          );
        }}
      </Async>
    </>
  );
}
