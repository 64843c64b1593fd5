import { api } from "../lib/api.ts";
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
        {({ session: current }) => (current ? <Desk name={current.user.name} /> : <AuthForm onSignedIn={session.reload} />)}
      </Async>
    </section>
  );
}

function Desk({ name }: { name: string }) {
  const list = useLoad(() => api.get<EvaluationList>("/api/evaluations"), []);
  return (
    <>
      <p>{t("organise.signedInAs", { name })}</p>
      <p>
        <Link href="/organise/new" class="button primary">
          {t("organise.new")}
        </Link>
      </p>
      <h2>{t("organise.yours")}</h2>
      <Async state={list}>
        {({ evaluations }) => (
          <ul class="plain-list">
            {evaluations.map((e) => (
              <li key={e.id} class="card">
                <Link href={`/organise/${e.slug}`}>{e.title}</Link>
                <p class="muted">
                  {t(`status.${e.status}`)} · {evaluationCounts(e.counts)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Async>
    </>
  );
}
