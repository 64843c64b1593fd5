import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import type { Results } from "./types.ts";

/** Dissent is a result: abstentions, contests, ties and "both bad", and how much people agree at all. */
export function DissentPanel({ results }: { results: Results }) {
  const { dissent, agreement, excluded } = results;
  const contested = dissent.bySubject.filter((row) => row.contest + row.abstention + row.bothBad > 0).sort((a, b) => b.contest + b.abstention + b.bothBad - (a.contest + a.abstention + a.bothBad));
  return (
    <section aria-labelledby="dissent-heading">
      <h2 id="dissent-heading">{t("results.dissent")}</h2>
      <dl class="stats">
        <div>
          <dt>{t("results.abstentions")}</dt>
          <dd>{formatNumber(dissent.abstentions)}</dd>
        </div>
        <div>
          <dt>{t("results.contests")}</dt>
          <dd>{formatNumber(dissent.contests)}</dd>
        </div>
        <div>
          <dt>{t("results.alpha")}</dt>
          <dd>{agreement.alpha === null ? "—" : formatNumber(agreement.alpha, 3)}</dd>
        </div>
        <div>
          <dt>{t("results.units")}</dt>
          <dd>{formatNumber(agreement.units)}</dd>
        </div>
      </dl>
      <p class="hint">{t("results.alphaHint")}</p>
      {excluded.length > 0 ? (
        <p>
          {t("results.excludedTotal")}{" "}
          <span lang="en">{excluded.map((e) => `${e.kind} — ${e.reason}: ${formatNumber(e.n)}`).join("; ")}</span>
        </p>
      ) : null}
      {contested.length > 0 ? (
        <ScrollRegion label={t("results.bySubject")}>
          <table class="data-table compact">
            <caption>{t("results.bySubject")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("results.subject")}</th>
                <th scope="col">{t("results.judgments")}</th>
                <th scope="col">{t("judge.outcomes.both_bad")}</th>
                <th scope="col">{t("judge.outcomes.tie")}</th>
                <th scope="col">{t("results.abstentions")}</th>
                <th scope="col">{t("results.contests")}</th>
              </tr>
            </thead>
            <tbody>
              {contested.slice(0, 30).map((row) => (
                <tr key={row.key}>
                  <th scope="row">{row.key}</th>
                  <td>{formatNumber(row.judgments)}</td>
                  <td>{formatNumber(row.bothBad)}</td>
                  <td>{formatNumber(row.tie)}</td>
                  <td>{formatNumber(row.abstention)}</td>
                  <td>{formatNumber(row.contest)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </section>
  );
}
