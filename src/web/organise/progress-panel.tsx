import { api, evaluationPath } from "../lib/api.ts";
import { formatNumber, formatPercent } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { Link } from "../lib/router.tsx";
import type { Progress } from "../lib/types.ts";

/** Each count the server answers, with the catalog key that labels it. */
const COUNTS = [
  ["participants", "participants"],
  ["consenting", "consenting"],
  ["judgments", "judgments"],
  ["pairwise", "pairwise"],
  ["ratings", "ratings"],
  ["rankings", "rankings"],
  ["abstentions", "abstentions"],
  ["contests", "contests"],
  ["revisions", "revisions"],
  ["openAssignments", "open_assignments"],
  ["subjects", "subjects"],
  ["availableSubjects", "available_subjects"],
  ["items", "items"],
  ["pendingItems", "pending_items"],
] as const;

/** Participation, judgments of every kind (abstentions and contests included) and how evenly pairs are covered. */
export function ProgressPanel({ evaluationId, slug, version }: { evaluationId: string; slug: string; version: number }) {
  const progress = useLoad(() => api.get<Progress>(evaluationPath(evaluationId, "/progress")), [evaluationId, version]);
  return (
    <section aria-labelledby="progress-heading">
      <h2 id="progress-heading">{t("organise.progress")}</h2>
      <Async state={progress}>
        {({ counts, pairCoverage: c }) => (
          <>
            <dl class="stats" id="progress-counts">
              {COUNTS.map(([k, label]) => (
                <div key={k}>
                  <dt>{t(`desk.progress.${label}`)}</dt>
                  <dd>{formatNumber(counts[k])}</dd>
                </div>
              ))}
            </dl>
            <p>{t("desk.progress.coverage", { compared: formatNumber(c.comparedPairs), possible: formatNumber(c.possiblePairs), share: formatPercent(c.share) })}</p>
            <p class="hint">{t("desk.progress.spread", { fewest: formatNumber(c.fewestComparisons), median: formatNumber(c.medianComparisons, 1), most: formatNumber(c.mostComparisons) })}</p>
          </>
        )}
      </Async>
      <div class="button-row">
        <button type="button" class="secondary" onClick={progress.reload}>
          {t("desk.progress.refresh")}
        </button>
        <Link href={`/e/${encodeURIComponent(slug)}/results`}>{t("organise.viewResults")}</Link>
      </div>
    </section>
  );
}
