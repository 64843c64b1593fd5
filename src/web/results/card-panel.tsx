import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { formatDate, formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import type { CardEnvelope, EvaluationCard } from "../lib/types.ts";
import { ruleName } from "./format.ts";

/** The published record of the evaluation, fetched when asked for (it recomputes every rule); also as Markdown. */
export function CardPanel({ evaluationId }: { evaluationId: string }) {
  const [shown, setShown] = useState(false);
  const markdown = evaluationPath(evaluationId, "/card?format=markdown");
  return (
    <section aria-labelledby="card-heading">
      <h2 id="card-heading">{t("record.card")}</h2>
      <p class="hint">{t("record.cardHint")}</p>
      <p class="link-row">
        <a href={markdown}>{t("record.cardMarkdown")}</a>
        <a href={evaluationPath(evaluationId, "/card")}>{t("record.cardJson")}</a>
      </p>
      {shown ? (
        <LoadedCard evaluationId={evaluationId} />
      ) : (
        <button type="button" class="secondary" onClick={() => setShown(true)}>
          {t("record.showCard")}
        </button>
      )}
    </section>
  );
}

function LoadedCard({ evaluationId }: { evaluationId: string }) {
  const card = useLoad(() => api.get<CardEnvelope>(evaluationPath(evaluationId, "/card")), [evaluationId]);
  return <Async state={card}>{({ card: c }) => <CardBody card={c} />}</Async>;
}

function CardBody({ card: c }: { card: EvaluationCard }) {
  const p = c.participation;
  return (
    <article class="card evaluation-card" aria-labelledby="card-title">
      <h3 id="card-title" dir="auto">{c.title}</h3>
      <p class="muted">{t("record.generated", { date: formatDate(c.generatedAt) })}</p>
      <dl>
        <dt>{t("charter.purpose")}</dt>
        <dd dir="auto">{c.charter.purpose || t("charter.notStated")}</dd>
        <dt>{t("charter.sponsor")}</dt>
        <dd dir="auto">{c.charter.sponsor || t("charter.notStated")}</dd>
        <dt>{t("charter.beneficiaries")}</dt>
        <dd dir="auto">{c.charter.beneficiaries || t("charter.notStated")}</dd>
        <dt>{t("record.versions")}</dt>
        <dd>{c.charter.versions.map((v) => t("record.versionLine", { version: v.version, date: formatDate(v.adoptedAt) })).join("; ")}</dd>
        <dt>{t("record.participation")}</dt>
        <dd>
          {t("record.participationLine", { participants: formatNumber(p.participants), judgments: formatNumber(p.judgments), k: p.k, hidden: formatNumber(p.communitiesHidden) })}
          {p.communities.length > 0 ? ` ${p.communities.map((g) => `${g.key} (${formatNumber(g.count)})`).join(", ")}` : ""}
        </dd>
        <dt>{t("record.rulesUsed")}</dt>
        <dd>{c.rules.map((r) => `${ruleName(r.name)} v${r.version}`).join(", ") || "—"}</dd>
        <dt>{t("results.dissent")}</dt>
        <dd>
          {t("record.dissentLine", {
            abstentions: c.dissent.abstentions === null ? t("results.notEnoughContributors", { k: p.k }) : formatNumber(c.dissent.abstentions),
            contests: formatNumber(c.dissent.contests.reduce((sum, x) => sum + x.count, 0)),
            reports: formatNumber(c.dissent.minorityReports.length),
            demands: formatNumber(c.demands.length),
          })}
        </dd>
        <dt>{t("record.decisions")}</dt>
        <dd>{c.decisions.length ? c.decisions.map((d) => `${d.title} — ${t(`govern.statuses.${d.outcome}`)} (${formatDate(d.closedAt)})`).join("; ") : t("record.noDecisions")}</dd>
        <dt>{t("record.consent")}</dt>
        <dd>
          {c.consent.scopes.map((s) => t("record.scopeLine", { scope: t(`scopes.${s.scope}.name`), granted: formatNumber(s.granted), total: formatNumber(c.consent.participants) })).join("; ")}
          {` · ${t("record.revocations", { count: c.consent.revocations })}`}
          {c.consent.withholding.active ? ` · ${t("govern.withholding")}` : ""}
        </dd>
        <dt>{t("record.exportLog")}</dt>
        <dd>{t("record.exportsCount", { count: c.exports.length })}</dd>
      </dl>
    </article>
  );
}
