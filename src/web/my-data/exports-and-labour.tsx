import { api, evaluationPath } from "../lib/api.ts";
import { formatDate, formatHours, formatMoney, formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import type { MyExports, MyLabour } from "../lib/types.ts";

/** Every export that included my contributions, and my measured hours and pay. */
export function ExportsAndLabour({ evaluationId }: { evaluationId: string }) {
  const exportsState = useLoad(() => api.get<MyExports>(evaluationPath(evaluationId, "/me/exports")), [evaluationId]);
  const labour = useLoad(() => api.get<MyLabour>(evaluationPath(evaluationId, "/me/labour")), [evaluationId]);
  return (
    <>
      <section aria-labelledby="exports-heading">
        <h2 id="exports-heading">{t("myData.exports")}</h2>
        <Async state={exportsState}>
          {({ exports }) =>
            exports.length === 0 ? (
              <p>{t("myData.noExports")}</p>
            ) : (
              <ul class="plain-list">
                {exports.map((e) => (
                  <li key={e.id} class="card">
                    <p>{t("myData.exportLine", { date: formatDate(e.at), scope: t(`scopes.${e.scope}.name`), recipient: e.recipient, count: formatNumber(e.contributions) })}</p>
                    <p class="muted">{t("myData.exportPurpose", { purpose: e.purpose })}</p>
                  </li>
                ))}
              </ul>
            )
          }
        </Async>
      </section>
      <section aria-labelledby="labour-heading">
        <h2 id="labour-heading">{t("myData.labour")}</h2>
        <Async state={labour}>
          {(l) => (
            <dl class="stats">
              <div>
                <dt>{t("myData.tasks")}</dt>
                <dd>{formatNumber(l.tasks)}</dd>
              </div>
              <div>
                <dt>{t("myData.hours")}</dt>
                <dd>{formatHours(l.account.hours * 3_600_000)}</dd>
              </div>
              <div>
                <dt>{l.volunteer ? t("myData.unpaidValue") : t("myData.owed")}</dt>
                <dd>{formatMoney((l.volunteer ? l.account.valueAtFloorMinor : l.account.owedMinor) / 100, l.currency)}</dd>
              </div>
              <div>
                <dt>{t("myData.outstanding")}</dt>
                <dd>{formatMoney(l.account.outstandingMinor / 100, l.currency)}</dd>
              </div>
            </dl>
          )}
        </Async>
      </section>
    </>
  );
}
