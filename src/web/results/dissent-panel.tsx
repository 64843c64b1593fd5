import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import type { Results, ShareRow } from "./types.ts";

/** Dissent is a result: abstentions, contests, ties and "both bad", and how much people agree at all. */
export function DissentPanel({ results }: { results: Results }) {
  const { dissent, agreement, excluded } = results;
  // a hidden figure (null: fewer than k people behind it) shows the marker, never a number
  const count = (n: number | null) => (n === null ? t("results.notEnoughContributors", { k: results.kAnonymity }) : formatNumber(n));
  const weight = (row: ShareRow) => (row.contest ?? 0) + (row.abstention ?? 0) + (row.bothBad ?? 0);
  const contested = dissent.bySubject.filter((row) => weight(row) > 0).sort((a, b) => weight(b) - weight(a));
  return (
    <section aria-labelledby="dissent-heading">
      <h2 id="dissent-heading">{t("results.dissent")}</h2>
      <dl class="stats">
        <div>
          <dt>{t("results.abstentions")}</dt>
          <dd>{count(dissent.abstentions)}</dd>
        </div>
        <div>
          <dt>{t("results.contests")}</dt>
          <dd>{count(dissent.contests)}</dd>
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
          <span lang="en">{excluded.map((e) => `${e.kind} — ${e.reason}: ${count(e.n)}`).join("; ")}</span>
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
                  <th scope="row"><bdi>{row.key}</bdi></th>
                  <td>{count(row.judgments)}</td>
                  <td>{count(row.bothBad)}</td>
                  <td>{count(row.tie)}</td>
                  <td>{count(row.abstention)}</td>
                  <td>{count(row.contest)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </section>
  );
}
