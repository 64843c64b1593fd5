import { formatList, formatMoney, formatPercent } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import type { Charter } from "../lib/types.ts";

/** The charter in plain language: what this is for, who gains, how decisions are made, what you are paid. */
export function CharterSummary({ charter, version }: { charter: Charter; version: number }) {
  const g = charter.governance;
  const rows: [string, string][] = [
    [t("charter.purpose"), charter.purpose],
    [t("charter.sponsor"), charter.sponsor],
    [t("charter.beneficiaries"), charter.beneficiaries || t("charter.notStated")],
    [t("charter.pay"), charter.pay.volunteer || charter.pay.ratePerHour === 0 ? t("charter.volunteer") : t("charter.paid", { rate: formatMoney(charter.pay.ratePerHour, charter.pay.currency) })],
    [t("charter.decisions"), t(`charter.method.${g.decisionMethod}`, { quorum: formatPercent(g.quorum) })],
    [t("charter.demands"), t("charter.demandRule", { share: formatPercent(g.demandThreshold), days: g.demandAnswerDays })],
    [t("charter.minority"), t("charter.minorityRule", { count: g.minorityReportSignatures })],
    [t("charter.release"), g.releaseRequiresApproval ? t("charter.releaseVote") : t("charter.releaseConsent")],
    [t("charter.rules"), formatList(charter.rules.map((r) => t(`rules.${r}.name`)))],
    [t("charter.privacy"), t("charter.kRule", { k: charter.kAnonymity })],
    [t("charter.uses"), formatList(charter.scopes.map((s) => t(`scopes.${s}.name`)))],
    [t("charter.languages"), formatList(charter.languages)],
  ];
  return (
    <section class="charter" aria-labelledby="charter-heading">
      <h2 id="charter-heading">{t("charter.title", { version })}</h2>
      <dl class="charter-list">
        {rows.map(([term, description]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{description}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
