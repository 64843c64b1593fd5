import { api, evaluationPath } from "../lib/api.ts";
import { DemandRecord } from "../lib/demand-record.tsx";
import { formatDate, reportProgress } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import type { DemandList, MinorityReportList } from "../lib/types.ts";

/** Minority reports word for word, and every demand to the sponsor with its answer; overdue answers are flagged. */
export function DissentRecord({ evaluationId }: { evaluationId: string }) {
  const reports = useLoad(() => api.get<MinorityReportList>(evaluationPath(evaluationId, "/minority-reports")), [evaluationId]);
  const demands = useLoad(() => api.get<DemandList>(evaluationPath(evaluationId, "/demands")), [evaluationId]);
  return (
    <>
      <section aria-labelledby="minority-heading">
        <h2 id="minority-heading">{t("govern.reports")}</h2>
        <p class="hint">{t("record.reportsHint")}</p>
        <Async state={reports}>
          {({ reports: list }) =>
            list.length === 0 ? (
              <p>{t("govern.noReports")}</p>
            ) : (
              <ul class="plain-list">
                {[...list].sort((a, b) => Number(b.status === "published") - Number(a.status === "published")).map((r) => (
                  <li key={r.id} class="card minority-report">
                    <h3 dir="auto">{r.title}</h3>
                    <blockquote class="verbatim" dir="auto">
                      {r.text}
                    </blockquote>
                    <p class="muted">
                      {r.status === "published"
                        ? `${t("govern.reportPublished", { count: r.signers })}${r.publishedAt ? ` ${formatDate(r.publishedAt)}` : ""}`
                        : reportProgress(r.signers, r.needed)}
                    </p>
                  </li>
                ))}
              </ul>
            )
          }
        </Async>
      </section>
      <section aria-labelledby="record-demands-heading">
        <h2 id="record-demands-heading">{t("record.demands")}</h2>
        <Async state={demands}>
          {({ demands: list, overdue }) => (
            <>
              <p class={overdue > 0 ? "warning" : "hint"}>{t("record.demandsSummary", { count: list.length, overdue })}</p>
              <ul class="plain-list">
                {list.map((d) => (
                  <li key={d.id} class={`card${d.status.status === "overdue" ? " overdue" : ""}`}>
                    <DemandRecord demand={d} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </Async>
      </section>
    </>
  );
}
