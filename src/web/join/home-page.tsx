import { api } from "../lib/api.ts";
import { evaluationCounts } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { Link } from "../lib/router.tsx";
import { useTitle } from "../lib/title.ts";
import type { EvaluationList } from "../lib/types.ts";

/** The front page: what Counterpublic is, and the evaluations anyone can see. */
export default function HomePage() {
  useTitle(t("home.title"));
  const list = useLoad(() => api.get<EvaluationList>("/api/evaluations"), []);
  return (
    <section>
      <h1>{t("home.title")}</h1>
      <p class="lead">{t("home.intro")}</p>
      <h2>{t("home.evaluations")}</h2>
      <Async state={list}>
        {({ evaluations }) =>
          evaluations.length === 0 ? (
            <p>{t("home.none")}</p>
          ) : (
            <ul class="plain-list">
              {evaluations.map((e) => (
                <li key={e.id} class="card">
                  <h3 dir="auto">{e.title}</h3>
                  <p>{e.question}</p>
                  <p class="muted">
                    {t(`status.${e.status}`)} ·{" "}
                    {evaluationCounts(e.counts)}
                  </p>
                  <p class="link-row">
                    <Link href={`/e/${e.slug}/results`}>{t("home.results", { title: e.title })}</Link>
                    <WayIn evaluation={e} />
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}

/** Where this visitor goes to take part: their own desk or judging, the open door, or how to be invited. */
function WayIn({ evaluation: e }: { evaluation: EvaluationList["evaluations"][number] }) {
  if (e.myRole === "organiser") return <Link href={`/organise/${e.slug}`}>{t("journey.home.manage", { title: e.title })}</Link>;
  if (e.myRole === "participant") return <Link href={`/e/${e.slug}/judge`}>{t("journey.home.continue", { title: e.title })}</Link>;
  if (e.participation === "open" && e.status === "open") return <Link href={`/e/${e.slug}/join`}>{t("home.takePart", { title: e.title })}</Link>;
  return <span class="muted">{t(e.status === "open" ? "journey.home.byInvitation" : "journey.home.notOpen")}</span>;
}
