import { t } from "../lib/i18n.ts";
import { Link } from "../lib/router.tsx";

const AREAS = ["judge", "deliberate", "govern", "my-data", "results"] as const;

/** The participant's way around one evaluation. */
export function EvaluationNav({ id, area }: { id: string; area: (typeof AREAS)[number] }) {
  return (
    <nav class="evaluation-nav" aria-label={t("nav.evaluation")}>
      <ul>
        {AREAS.map((name) => (
          <li key={name}>
            <Link href={`/e/${encodeURIComponent(id)}/${name}`} aria-current={name === area ? "page" : undefined}>
              {t(`nav.${name}`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
