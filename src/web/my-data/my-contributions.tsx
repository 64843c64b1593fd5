import { formatDate } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { describeJudgment, itemLabel, loadMyJudgments } from "../lib/judgments.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { ScrollRegion } from "../lib/scroll-region.tsx";

/** Everything I contributed as judgments, every version, as the server holds it; revisions link to the judge page. */
export function MyContributions({ evaluationId }: { evaluationId: string }) {
  const list = useLoad(() => loadMyJudgments(evaluationId), [evaluationId]);
  return (
    <section aria-labelledby="contributions-heading">
      <h2 id="contributions-heading">{t("myData.contributions")}</h2>
      <p class="hint">{t("myData.contributionsHint")}</p>
      <Async state={list}>
        {(judgments) =>
          judgments.length === 0 ? (
            <p>{t("myData.noContributions")}</p>
          ) : (
            <ScrollRegion label={t("myData.contributions")}>
              <table class="data-table" id="my-contributions">
                <caption class="visually-hidden">{t("myData.contributions")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("myData.when")}</th>
                    <th scope="col">{t("myData.item")}</th>
                    <th scope="col">{t("myData.answer")}</th>
                    <th scope="col">{t("myData.subjects")}</th>
                    <th scope="col">{t("myData.versionState")}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...judgments].reverse().map((j) => (
                    <tr key={j.id}>
                      <td>{formatDate(j.createdAt)}</td>
                      <th scope="row" dir="auto">
                        {itemLabel(j)}
                      </th>
                      <td>
                        {describeJudgment(j.body)}
                        {j.rationale ? (
                          <span class="th-sub" dir="auto">
                            {j.rationale}
                          </span>
                        ) : null}
                      </td>
                      <td>{j.responses.map((r) => `${r.key.toUpperCase()}: ${r.subject?.name ?? t("common.unknown")}`).join(", ")}</td>
                      <td>{t(j.isCurrent ? (j.revises ? "myData.currentRevision" : "myData.current") : "myData.superseded")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )
        }
      </Async>
    </section>
  );
}
