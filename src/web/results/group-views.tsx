import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import { formatScore } from "./format.ts";
import type { Results } from "./types.ts";

/** The same rule per self-described community (only groups of at least k), and how each diverges. */
export function GroupViews({ groups }: { groups: Results["groups"] }) {
  return (
    <section aria-labelledby="groups-heading">
      <h2 id="groups-heading">{t("results.groups")}</h2>
      {!groups || groups.groups.length === 0 ? (
        <p>{t("results.noGroups", { k: groups?.k ?? 10, suppressed: formatNumber(groups?.suppressedGroups ?? 0) })}</p>
      ) : (
        <>
          <p class="hint">{t("results.groupsHint", { k: groups.k, suppressed: formatNumber(groups.suppressedGroups) })}</p>
          <ScrollRegion label={t("results.divergence")}>
            <table class="data-table compact">
              <caption>{t("results.divergence")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("results.community")}</th>
                  <th scope="col">{t("results.participants")}</th>
                  <th scope="col">τ</th>
                  <th scope="col">{t("results.flippedPairs")}</th>
                  <th scope="col">{t("results.topThree")}</th>
                </tr>
              </thead>
              <tbody>
                {groups.groups.map((g) => {
                  const d = groups.divergence.find((x) => x.group === g.community);
                  const bt = g.rules.find((r) => r.rule === "bt") ?? g.rules[0];
                  return (
                    <tr key={g.community}>
                      <th scope="row"><bdi>{g.community}</bdi></th>
                      <td>{formatNumber(g.participants)}</td>
                      <td>{d?.tau == null ? "—" : formatNumber(d.tau, 2)}</td>
                      <td>{d ? formatNumber(d.flippedCount) : "—"}</td>
                      <td>{bt ? bt.subjects.slice(0, 3).map((s) => `${s.name} (${formatScore(s.score)})`).join(", ") : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      )}
    </section>
  );
}
