import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import { formatScore } from "./format.ts";
import type { Results, RuleResult, SubjectResult } from "./types.ts";

type Beyond = NonNullable<Results["beyondArena"]>;
type Board = Pick<RuleResult, "subjects">;

function top(board: Board | null, count = 3): string {
  return board ? board.subjects.slice(0, count).map((s) => `${s.name} (${formatScore(s.score)})`).join(", ") : "—";
}

function interval(s: SubjectResult): string {
  return s.lower === null || s.upper === null ? "—" : `${formatScore(s.lower)} – ${formatScore(s.upper)}`;
}

/** Boards per slice (use case, language, tag, community), each shown only with at least k contributors, and the flips between slices. */
function Categories({ categories, k }: { categories: Beyond["categories"]; k: number }) {
  return (
    <section aria-labelledby="categories-heading">
      <h2 id="categories-heading">{t("beyond.categories")}</h2>
      {categories.length === 0 ? <p>{t("beyond.noCategories")}</p> : <p class="hint">{t("beyond.sliceIntervals")}</p>}
      {categories.map((dimension) => (
        <div key={dimension.dimension}>
          <h3>{t(`beyond.dimension.${dimension.dimension}`)}</h3>
          {dimension.hiddenSlices > 0 ? <p class="hint">{t("beyond.hiddenSlices", { n: formatNumber(dimension.hiddenSlices), k })}</p> : null}
          {dimension.slices.length > 0 ? (
            <ScrollRegion label={t(`beyond.dimension.${dimension.dimension}`)}>
              <table class="data-table compact">
                <thead>
                  <tr>
                    <th scope="col">{t("beyond.slice")}</th>
                    <th scope="col">{t("results.participants")}</th>
                    <th scope="col">{t("results.topThree")}</th>
                    <th scope="col">{t("beyond.flipsVsOverall")}</th>
                  </tr>
                </thead>
                <tbody>
                  {dimension.slices.map((slice) => (
                    <tr key={slice.key}>
                      <th scope="row">{slice.key}</th>
                      <td>{formatNumber(slice.contributors)}</td>
                      <td>{top(slice.board)}</td>
                      <td>{slice.vsOverall ? formatNumber(slice.vsOverall.flippedCount) : "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          ) : null}
          {dimension.flips.map((f) => (
            <p key={f.slices.join("|")} class="muted">
              {t("beyond.flipsBetween", { first: f.slices[0], second: f.slices[1], n: formatNumber(f.flippedCount) })}
              {f.flipped.length > 0 ? `: ${f.flipped.map((p) => `${p.first} / ${p.second}`).join("; ")}` : ""}
            </p>
          ))}
        </div>
      ))}
    </section>
  );
}

/** The board across opinion groups (each group counts equally), beside Bradley–Terry, with the groups' sizes. */
function Bridging({ bridging, bt, k }: { bridging: Beyond["bridging"]; bt: Board | null; k: number }) {
  const btRank = new Map(bt?.subjects.map((s) => [s.name, s.rank]) ?? []);
  const board = bridging.board;
  return (
    <section aria-labelledby="bridging-heading">
      <h2 id="bridging-heading">{t("beyond.bridging")}</h2>
      {board ? (
        <>
          <p class="callout">{board.assumption}</p>
          <p class="hint">
            {t("beyond.groupsFound", { sizes: bridging.groups.map((g) => formatNumber(g.participants)).join(", ") })}
            {bridging.hiddenGroups > 0 ? ` ${t("beyond.hiddenGroups", { n: formatNumber(bridging.hiddenGroups), k })}` : ""}
          </p>
          <ScrollRegion label={t("beyond.bridging")}>
            <table class="data-table compact">
              <thead>
                <tr>
                  <th scope="col">{t("results.subject")}</th>
                  <th scope="col">{t("beyond.bridgingScore")}</th>
                  <th scope="col">{t("beyond.interval")}</th>
                  <th scope="col">{t("beyond.weakestGroup")}</th>
                  <th scope="col">{t("beyond.btRank")}</th>
                </tr>
              </thead>
              <tbody>
                {board.subjects.map((s) => (
                  <tr key={s.name}>
                    <th scope="row">
                      {formatNumber(s.rank)}. {s.name}
                    </th>
                    <td>{formatScore(s.score)}</td>
                    <td>{interval(s)}</td>
                    <td>{formatScore(board.weakest.find((w) => w.name === s.name)?.score ?? null)}</td>
                    <td>{btRank.has(s.name) ? formatNumber(btRank.get(s.name) ?? 0) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {bridging.vsBt ? <p class="muted">{t("beyond.flipsVsBt", { n: formatNumber(bridging.vsBt.flippedCount) })}</p> : null}
        </>
      ) : (
        <p>{t("beyond.noBridging", { reason: bridging.reason ?? "" })}</p>
      )}
    </section>
  );
}

/** For each pair of neighbours, the added votes that would swap them. */
function Manipulation({ manipulation }: { manipulation: Beyond["manipulation"] }) {
  if (!manipulation) return null;
  const rows = [...manipulation.pairs, ...(manipulation.intoTopTier ? [manipulation.intoTopTier] : [])];
  return (
    <section aria-labelledby="manipulation-heading">
      <h2 id="manipulation-heading">{t("beyond.manipulation")}</h2>
      <p class="hint">{manipulation.assumption}</p>
      <table class="data-table compact">
        <thead>
          <tr>
            <th scope="col">{t("beyond.swap")}</th>
            <th scope="col">{t("beyond.votesNeeded")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p, i) => (
            <tr key={`${p.upper}|${p.lower}|${i}`}>
              <th scope="row">{t(i === manipulation.pairs.length ? "beyond.intoTopTier" : "beyond.swapPair", { lower: p.lower, upper: p.upper })}</th>
              <td>{p.votes === null ? t("beyond.moreThan", { n: formatNumber(manipulation.maxVotes) }) : formatNumber(p.votes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Flags reported, not hidden: counts for everyone (at least k), pseudonyms for organisers, and the board without them. */
function Anomalies({ anomalies, k }: { anomalies: Beyond["anomalies"]; k: number }) {
  const count = (n: number | null) => (n === null ? t("beyond.belowK", { k }) : formatNumber(n));
  return (
    <section aria-labelledby="anomalies-heading">
      <h2 id="anomalies-heading">{t("beyond.anomalies")}</h2>
      <p class="hint">{t("beyond.anomaliesNote")}</p>
      <ul>
        <li>{t("beyond.outliers", { n: count(anomalies.counts.sequentialOutlier) })}</li>
        <li>{t("beyond.outliersWithinGroup", { n: count(anomalies.counts.sequentialOutlierWithinGroup) })}</li>
        <li>{t("beyond.leaks", { n: count(anomalies.counts.identityLeak) })}</li>
        <li>{t("beyond.bursts", { n: count(anomalies.counts.invitationBurst) })}</li>
      </ul>
      {anomalies.flagged && anomalies.flagged.length > 0 ? (
        <>
          <h3>{t("beyond.flaggedForOrganisers")}</h3>
          <ul>
            {anomalies.flagged.map((f) => (
              <li key={f.participant}>
                {f.participant}: {f.reasons.map((r) => t(`beyond.reason.${r}`)).join(", ")}
                {f.alsoWithinGroup === false ? ` (${t("beyond.onlyAgainstPooled")})` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {anomalies.boardWithout ? <p>{t("beyond.boardWithout", { top: top(anomalies.boardWithout, 5) })}</p> : null}
    </section>
  );
}

export function BeyondArena({ results }: { results: Results }) {
  const beyond = results.beyondArena;
  if (!beyond) return null;
  const bt = results.rules.find((r) => r.rule === "bt") ?? null;
  return (
    <>
      <Bridging bridging={beyond.bridging} bt={bt} k={results.kAnonymity} />
      <Manipulation manipulation={beyond.manipulation} />
      <Categories categories={beyond.categories} k={results.kAnonymity} />
      <Anomalies anomalies={beyond.anomalies} k={results.kAnonymity} />
    </>
  );
}
