import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import { ruleName } from "./format.ts";
import type { Results } from "./types.ts";

/** Kendall's τ between every two rules, as a matrix, and the pairs whose order flips. */
export function Sensitivity({ sensitivity }: { sensitivity: Results["sensitivity"] }) {
  if (sensitivity.length === 0) return null;
  const rules = [...new Set(sensitivity.flatMap((s) => s.rules))];
  const tau = (a: string, b: string) => {
    if (a === b) return 1;
    const found = sensitivity.find((s) => (s.rules[0] === a && s.rules[1] === b) || (s.rules[0] === b && s.rules[1] === a));
    return found?.tau ?? null;
  };
  return (
    <section aria-labelledby="sensitivity-heading">
      <h2 id="sensitivity-heading">{t("results.sensitivity")}</h2>
      <p class="hint">{t("results.sensitivityHint")}</p>
      <ScrollRegion label={t("results.tauMatrix")}>
        <table class="data-table compact" id="tau-matrix">
          <caption>{t("results.tauMatrix")}</caption>
          <thead>
            <tr>
              <td />
              {rules.map((r) => (
                <th key={r} scope="col">
                  {ruleName(r)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rules.map((a) => (
              <tr key={a}>
                <th scope="row">{ruleName(a)}</th>
                {rules.map((b) => {
                  const value = tau(a, b);
                  return <td key={b}>{value === null ? "—" : formatNumber(value, 2)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <h3>{t("results.flips")}</h3>
      <ul class="plain-list">
        {sensitivity.map((s) => (
          <li key={s.rules.join("-")}>
            <details>
              <summary>{t("results.flipCount", { a: ruleName(s.rules[0]), b: ruleName(s.rules[1]), count: s.flippedCount })}</summary>
              <ul>
                {s.flipped.slice(0, 50).map((f) => (
                  <li key={`${f.first}|${f.second}`}>{t("results.flip", { first: f.first, second: f.second, a: ruleName(s.rules[0]), b: ruleName(s.rules[1]) })}</li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
