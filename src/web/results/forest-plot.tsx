import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../lib/i18n.ts";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import { formatScore, ruleName } from "./format.ts";
import type { RuleResult } from "./types.ts";

/** Bradley–Terry (or the first rule with intervals) as a forest plot; the table below is its text alternative. */
export function ForestPlot({ rules }: { rules: readonly RuleResult[] }) {
  const rule = rules.find((r) => r.rule === "bt" && r.subjects.some((s) => s.lower !== null)) ?? rules.find((r) => r.subjects.some((s) => s.lower !== null));
  const holder = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!rule || !holder.current) return;
    let live = true;
    const target = holder.current;
    import("@observablehq/plot").then(
      (Plot) => {
        if (!live) return;
        const rows = rule.subjects.filter((s) => s.lower !== null && s.upper !== null);
        const chart = Plot.plot({
          className: "forest",
          ariaLabel: t("results.forestLabel", { rule: ruleName(rule.rule) }),
          ariaDescription: t("results.forestDescription"),
          marginLeft: 170,
          height: Math.max(200, rows.length * 16 + 40),
          width: Math.min(900, Math.max(320, target.clientWidth)),
          x: { label: t("results.score"), grid: true },
          y: { label: null, domain: rows.map((s) => s.name) },
          marks: [Plot.ruleY(rows, { y: "name", x1: "lower", x2: "upper", stroke: "#555" }), Plot.dot(rows, { y: "name", x: "score", fill: "#1a4d8f", r: 3 })],
        });
        // The CSP allows no inline <style>; the same rules live in styles.css.
        chart.querySelectorAll("style").forEach((style) => style.remove());
        // The figure is one image with one name; Plot's per-mark labels would be prohibited ARIA on <g>.
        chart.querySelectorAll("[aria-label], [aria-description]").forEach((node) => {
          node.removeAttribute("aria-label");
          node.removeAttribute("aria-description");
        });
        chart.setAttribute("role", "img");
        chart.setAttribute("aria-label", t("results.forestLabel", { rule: ruleName(rule.rule) }));
        target.replaceChildren(chart);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [rule]);
  if (!rule) return null;
  return (
    <section aria-labelledby="forest-heading">
      <h2 id="forest-heading">{t("results.forest", { rule: ruleName(rule.rule) })}</h2>
      <p class="hint">{t("results.forestHint")}</p>
      <figure class="forest-figure">
        <div ref={holder} class="plot-holder" dir="ltr">
          {failed ? <p class="error-text">{t("errors.network")}</p> : <p class="loading">{t("common.loading")}</p>}
        </div>
        <figcaption>{t("results.forestCaption")}</figcaption>
      </figure>
      <details>
        <summary>{t("results.asTable")}</summary>
        <ScrollRegion label={t("results.forest", { rule: ruleName(rule.rule) })}>
          <table class="data-table compact" id="forest-table">
            <caption>{t("results.forest", { rule: ruleName(rule.rule) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("results.rank")}</th>
                <th scope="col">{t("results.subject")}</th>
                <th scope="col">{t("results.score")}</th>
                <th scope="col">{t("results.lower")}</th>
                <th scope="col">{t("results.upper")}</th>
              </tr>
            </thead>
            <tbody>
              {rule.subjects.map((s) => (
                <tr key={s.name}>
                  <td>{s.rank}</td>
                  <th scope="row"><bdi>{s.name}</bdi></th>
                  <td>{formatScore(s.score)}</td>
                  <td>{formatScore(s.lower)}</td>
                  <td>{formatScore(s.upper)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </details>
    </section>
  );
}
