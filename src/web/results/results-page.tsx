import { api, ApiError, evaluationPath } from "../lib/api.ts";
import { errorMessage } from "../lib/form.tsx";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { useTitle } from "../lib/title.ts";
import { BeyondArena } from "./beyond-arena.tsx";
import { BoardsPanel } from "./boards-panel.tsx";
import { CardPanel } from "./card-panel.tsx";
import { DissentPanel } from "./dissent-panel.tsx";
import { DissentRecord } from "./dissent-record.tsx";
import { ForestPlot } from "./forest-plot.tsx";
import { GroupViews } from "./group-views.tsx";
import { LabourAccount } from "./labour-account.tsx";
import { OpinionSummary } from "./opinion-summary.tsx";
import { RuleCards } from "./rule-cards.tsx";
import { Sensitivity } from "./sensitivity.tsx";
import { SummaryPanel } from "./summary-panel.tsx";
import { SideBySide } from "./side-by-side.tsx";
import type { Results } from "./types.ts";

/** Public results: every rule side by side, how much the order depends on the rule, who disagrees. */
export default function ResultsPage({ id }: Record<string, string>) {
  useTitle(t("results.title"));
  const results = useLoad(() => api.get<Results>(evaluationPath(id ?? "", "/results?by=community")), [id]);
  const notYet = results.error instanceof ApiError && (results.error.code === "no_judgments" || results.error.code === "single_subject");
  if (notYet && id) {
    // Nothing to aggregate yet: say so, and still show the record (dissent, opinion, labour, card).
    return (
      <section class="results">
        <h1>{t("results.title")}</h1>
        <p role="status">{errorMessage(results.error)}</p>
        <DissentRecord evaluationId={id} />
        <OpinionSummary evaluationId={id} />
        <LabourAccount evaluationId={id} />
        <CardPanel evaluationId={id} />
      </section>
    );
  }
  return (
    <section class="results">
      <h1>{t("results.title")}</h1>
      <Async state={results}>
        {(r) => (
          <>
            <p class="lead" dir="auto">
              {r.evaluation.title}
            </p>
            <SummaryPanel summary={r.summary} />
            <p class="callout">{t("results.noNeutral")}</p>
            <p class="muted">{t("results.consentNote")}</p>
            {r.warnings.map((w) => (
              <p key={w} class="warning">
                {w}
              </p>
            ))}
            {r.rules.length > 0 ? (
              <>
                <SideBySide rules={r.rules} />
                <ForestPlot rules={r.rules} />
                <RuleCards rules={r.rules} />
                <Sensitivity sensitivity={r.sensitivity} />
                <BoardsPanel boards={r.boards} rules={r.rules} />
              </>
            ) : (
              <p>{t("results.none")}</p>
            )}
            <GroupViews groups={r.groups} />
            <BeyondArena results={r} />
            <DissentPanel results={r} />
            <DissentRecord evaluationId={r.evaluation.id} />
            <OpinionSummary evaluationId={r.evaluation.id} />
            <LabourAccount evaluationId={r.evaluation.id} />
            <CardPanel evaluationId={r.evaluation.id} />
          </>
        )}
      </Async>
    </section>
  );
}
