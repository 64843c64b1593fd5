import { api, evaluationPath } from "../lib/api.ts";
import { formatNumber, formatPercent } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { Link } from "../lib/router.tsx";

const COUNTS = ["participants", "consenting", "judgments", "pairwise", "ratings", "rankings", "abstentions", "contests", "revisions", "open_assignments", "subjects", "available_subjects", "items", "pending_items"] as const;

interface Progress {
  counts: Record<(typeof COUNTS)[number], number>;
  pairCoverage: { possiblePairs: number; comparedPairs: number; share: number; fewestComparisons: number; medianComparisons: number; mostComparisons: number };
}

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
              {COUNTS.map((k) => (
                <div key={k}>
                  <dt>{t(`desk.progress.${k}`)}</dt>
                  <dd>{formatNumber(counts[k] ?? 0)}</dd>
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
