import { api, evaluationPath } from "../lib/api.ts";
import { formatDate, formatHours, formatMoney, formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import type { EvaluationLabour, ExportList } from "../lib/types.ts";

const money = (minor: number, currency: string) => formatMoney(minor / 100, currency);

/** Labour made visible (hours, pay owed and paid, unpaid time at the floor) and the audit log of every export. */
export function LabourAccount({ evaluationId }: { evaluationId: string }) {
  const labour = useLoad(() => api.get<EvaluationLabour>(evaluationPath(evaluationId, "/labour")), [evaluationId]);
  const log = useLoad(() => api.get<ExportList>(evaluationPath(evaluationId, "/exports")), [evaluationId]);
  return (
    <section aria-labelledby="labour-account-heading">
      <h2 id="labour-account-heading">{t("record.labour")}</h2>
      <Async state={labour}>{(l) => <LabourStats labour={l} />}</Async>
      <h3 id="export-log-heading">{t("record.exportLog")}</h3>
      <p class="hint">{t("record.exportLogHint")}</p>
      <Async state={log}>{({ exports }) => (exports.length === 0 ? <p>{t("record.noExports")}</p> : <ExportLog exports={exports} />)}</Async>
    </section>
  );
}

function LabourStats({ labour }: { labour: EvaluationLabour }) {
  const rate = <p>{labour.volunteer ? t("record.volunteer") : t("record.rate", { rate: money(labour.ratePerHour, labour.currency) })}</p>;
  const { account, tasks, workers } = labour;
  if (account === null || tasks === null || workers === null)
    return (
      <>
        {rate}
        <p class="hint">{t("record.labourHidden", { k: labour.suppressed?.k ?? 0 })}</p>
        <SponsorRatings labour={labour} />
      </>
    );
  const l = { ...labour, account, tasks, workers };
  const stats: [string, string][] = [
    [t("record.workers"), formatNumber(l.workers)],
    [t("myData.tasks"), formatNumber(l.tasks)],
    [t("myData.hours"), formatHours(l.account.hours * 3_600_000)],
    [t("myData.owed"), money(l.account.owedMinor, l.currency)],
    [t("record.paid"), money(l.account.paidMinor, l.currency)],
    [t("myData.outstanding"), money(l.account.outstandingMinor, l.currency)],
  ];
  if (l.volunteer) stats.push([t("record.unpaidHours"), formatHours(l.account.unpaidHours * 3_600_000)], [t("myData.unpaidValue"), money(l.account.valueAtFloorMinor, l.currency)]);
  return (
    <>
      {rate}
      <dl class="stats">
        {stats.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <SponsorRatings labour={labour} />
    </>
  );
}

function SponsorRatings({ labour: l }: { labour: EvaluationLabour }) {
  return (
    <p class="hint">
      {l.sponsorRatings.status === "suppressed"
        ? t("record.ratingsHidden", { k: l.sponsorRatings.k })
        : t("record.ratings", { raters: formatNumber(l.sponsorRatings.raters), means: Object.entries(l.sponsorRatings.dimensions).map(([d, v]) => `${t(`record.ratingDimensions.${d}`)} ${formatNumber(v.mean, 1)}`).join(", ") })}
    </p>
  );
}

function ExportLog({ exports }: { exports: ExportList["exports"] }) {
  return (
    <ScrollRegion label={t("record.exportLog")}>
      <table class="data-table" id="export-log" aria-labelledby="export-log-heading">
        <thead>
          <tr>
            <th scope="col">{t("myData.when")}</th>
            <th scope="col">{t("record.scope")}</th>
            <th scope="col">{t("record.recipient")}</th>
            <th scope="col">{t("record.purpose")}</th>
            <th scope="col">{t("record.included")}</th>
            <th scope="col">{t("record.excluded")}</th>
            <th scope="col">{t("record.fingerprint")}</th>
          </tr>
        </thead>
        <tbody>
          {exports.map((e) => (
            <tr key={e.id}>
              <td>
                {formatDate(e.at)}
                <span class="th-sub">{t("record.requestedBy", { name: e.requestedBy, format: e.format, version: e.charterVersion })}</span>
              </td>
              <td>{t(`scopes.${e.scope}.name`)}</td>
              <td dir="auto">{e.recipient}</td>
              <td dir="auto">{e.purpose}</td>
              <td>{t("record.includedCount", { count: e.included, people: e.contributors })}</td>
              <td lang="en">{Object.entries(e.excluded).map(([reason, n]) => `${reason}: ${formatNumber(n)}`).join("; ") || "—"}</td>
              <td>
                <code>{e.contentHash.slice(0, 12)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
