import { formatNumber } from "../lib/format.ts";
import { hasTranslation, t } from "../lib/i18n.ts";
import { ParameterList } from "./parameters.tsx";
import { ruleName } from "./format.ts";
import type { RuleResult } from "./types.ts";

/** Each rule names its parameters, its assumption, what it used and what it left out. */
export function RuleCards({ rules }: { rules: readonly RuleResult[] }) {
  return (
    <section aria-labelledby="rules-heading">
      <h2 id="rules-heading">{t("results.rulesTitle")}</h2>
      <div class="rule-grid">
        {rules.map((r) => (
          <article key={r.rule} class="card rule-card" aria-labelledby={`rule-${r.rule}`}>
            <h3 id={`rule-${r.rule}`}>{ruleName(r.rule)}</h3>
            <p>{t(`rules.${r.rule}.explain`)}</p>
            <dl>
              <dt>{t("results.assumption")}</dt>
              <dd {...(hasTranslation(`assumptions.${r.rule}`) ? {} : { lang: "en" })}>{hasTranslation(`assumptions.${r.rule}`) ? t(`assumptions.${r.rule}`) : r.assumption}</dd>
              <dt>{t("results.parameters")}</dt>
              <dd>
                <ParameterList rule={r.rule} parameters={r.parameters} />
              </dd>
              <dt>{t("results.used")}</dt>
              <dd>{formatNumber(r.used)}</dd>
              <dt>{t("results.excluded")}</dt>
              <dd lang="en">{r.excluded.length ? r.excluded.map((e) => `${e.reason}: ${formatNumber(e.count)}`).join("; ") : "—"}</dd>
              <dt>{t("results.components")}</dt>
              <dd>{formatNumber(r.components.length)}</dd>
            </dl>
            {r.warnings.map((w) => (
              <p key={w} class="warning" lang="en">
                {w}
              </p>
            ))}
          </article>
        ))}
      </div>
    </section>
  );
}
