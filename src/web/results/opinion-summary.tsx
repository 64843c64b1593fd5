import { api, evaluationPath } from "../lib/api.ts";
import { formatDate, formatList, formatNumber, formatPercent } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import type { OpinionMap } from "../lib/types.ts";

/** The map once it is drawn (the server says why when it is not). */
type Drawn = Extract<OpinionMap, { available: true }>;

/** The opinion map in words: the groups that formed, what sets each apart, and what nearly everyone shares. */
export function OpinionSummary({ evaluationId }: { evaluationId: string }) {
  const opinion = useLoad(() => api.get<OpinionMap>(evaluationPath(evaluationId, "/opinion")), [evaluationId]);
  return (
    <section aria-labelledby="opinion-summary-heading">
      <h2 id="opinion-summary-heading">{t("deliberate.opinionMap")}</h2>
      <Async state={opinion}>
        {(o) => (o.available ? <Groups opinion={o} /> : <p>{t("deliberate.mapUnavailable", { k: o.kAnonymity })}</p>)}
      </Async>
    </section>
  );
}

function Groups({ opinion }: { opinion: Drawn }) {
  const { groups } = opinion;
  const consensus = [...opinion.consensus.agree.map((s) => ({ ...s, side: "agree" as const })), ...opinion.consensus.disagree.map((s) => ({ ...s, side: "disagree" as const }))];
  return (
    <>
      <p class="hint">{t("record.opinionCounts", { participants: formatNumber(opinion.counts.participants), statements: formatNumber(opinion.counts.statements), votes: formatNumber(opinion.counts.votes) })}</p>
      <p class="hint" data-testid="opinion-update">
        {t("record.opinionUpdate", { version: formatNumber(opinion.update.version), date: formatDate(opinion.update.computedAt), votes: formatNumber(opinion.update.votes), since: formatNumber(opinion.update.votesSince) })}{" "}
        {t("record.opinionHistory", { count: formatNumber(opinion.history.length), ks: formatList(opinion.history.map((h) => formatNumber(h.groupCount))) })}
      </p>
      <ul class="plain-list">
        {groups.map((g) => (
          <li key={g.id} class="card">
            <h3>{t("deliberate.group", { group: g.id + 1 })}</h3>
            {g.suppressed ? (
              <p>{t("deliberate.suppressed", { k: opinion.kAnonymity })}</p>
            ) : (
              <>
                <p class="muted">{t("record.groupSize", { count: formatNumber(g.participants) })}</p>
                <ul>
                  {g.representative.slice(0, 3).map((r) => (
                    <li key={r.statementId}>
                      {t(`deliberate.rep.${r.repfulFor}`, { share: formatPercent(r.share) })} <span dir="auto">“{r.text}”</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </li>
        ))}
      </ul>
      {consensus.length > 0 ? (
        <>
          <h3>{t("record.consensus")}</h3>
          <ul>
            {consensus.slice(0, 6).map((c) => (
              <li key={`${c.side}-${c.statementId}`}>
                {t(`deliberate.rep.${c.side}`, { share: formatPercent(c.share) })} <span dir="auto">“{c.text}”</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
