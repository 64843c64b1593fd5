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
                    <Link href={`/e/${e.slug}/judge`}>{t("home.takePart", { title: e.title })}</Link>
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
