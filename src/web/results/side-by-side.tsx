import { t } from "../lib/i18n.ts";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import { formatScore, ruleName } from "./format.ts";
import type { RuleResult } from "./types.ts";

/** One row per subject, one column pair (rank, score) per rule; ordered by the first rule. */
export function SideBySide({ rules }: { rules: readonly RuleResult[] }) {
  const first = rules[0];
  if (!first) return null;
  const lookup = rules.map((r) => new Map(r.subjects.map((s) => [s.name, s])));
  const names = [...new Set([...first.subjects.map((s) => s.name), ...rules.flatMap((r) => r.subjects.map((s) => s.name))])];
  return (
    <section aria-labelledby="side-heading">
      <h2 id="side-heading">{t("results.sideBySide")}</h2>
      <p class="hint">{t("results.sideBySideHint", { rule: ruleName(first.rule) })}</p>
      <ScrollRegion label={t("results.sideBySide")}>
        <table class="data-table compact" id="side-by-side">
          <caption class="visually-hidden">{t("results.sideBySide")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("results.subject")}</th>
              {rules.map((r) => (
                <th key={r.rule} scope="col">
                  {ruleName(r.rule)}
                  <span class="th-sub">{t("results.rankScore")}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {names.map((name) => (
              <tr key={name}>
                <th scope="row"><bdi>{name}</bdi></th>
                {lookup.map((map, i) => {
                  const s = map.get(name);
                  return <td key={rules[i]?.rule}>{s ? `${s.rank} · ${formatScore(s.score)}` : "—"}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}
