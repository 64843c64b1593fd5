import { api, evaluationPath } from "../lib/api.ts";
import { FormStatus, useSubmission } from "../lib/form.tsx";
import { reportProgress } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import type { MinorityReportList } from "../lib/types.ts";
import { WritingForm } from "./writing-form.tsx";

/** Minority reports: co-signed past the charter's threshold, they are published word for word beside the results. */
export function MinorityReports({ evaluationId, participant, limit }: { evaluationId: string; participant: boolean; limit: number }) {
  const list = useLoad(() => api.get<MinorityReportList>(evaluationPath(evaluationId, "/minority-reports")), [evaluationId]);
  const signing = useSubmission();
  const sign = (id: string) =>
    void signing.run(async () => {
      await api.post(evaluationPath(evaluationId, `/minority-reports/${id}/signatures`), {});
      list.reload();
    });
  return (
    <section aria-labelledby="reports-heading">
      <h2 id="reports-heading">{t("govern.reports")}</h2>
      <FormStatus error={signing.formError} />
      <Async state={list}>
        {({ reports }) =>
          reports.length === 0 ? (
            <p>{t("govern.noReports")}</p>
          ) : (
            <ul class="plain-list">
              {reports.map((r) => (
                <li key={r.id} class="card">
                  <h3 dir="auto">{r.title}</h3>
                  <p dir="auto">{r.text}</p>
                  <p class="muted">
                    {r.status === "published" ? t("govern.reportPublished", { count: r.signers }) : reportProgress(r.signers, r.needed)}
                  </p>
                  {participant ? (
                    <button type="button" class="secondary" disabled={signing.pending} onClick={() => sign(r.id)}>
                      {t("govern.sign", { title: r.title })}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      {participant ? (
        <details>
          <summary>{t("govern.newReport")}</summary>
          <WritingForm prefix="report" titleLabel={t("govern.reportTitle")} textLabel={t("govern.reportText")} submitLabel={t("govern.submitReport")} limit={limit} send={(body) => api.post(evaluationPath(evaluationId, "/minority-reports"), body)} onDone={list.reload} />
        </details>
      ) : null}
    </section>
  );
}
