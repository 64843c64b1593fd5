import { api, evaluationPath } from "../lib/api.ts";
import { formatNumber, formatPercent } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import type { OpinionMap as OpinionMapData } from "../lib/types.ts";

/** The map once it is drawn (the server says why when it is not). */
type Drawn = Extract<OpinionMapData, { available: true }>;
type Point = readonly [number, number];

const SIZE = 300;

/** Opinion groups from statement votes, with "you are here"; the list below the map is its text version. */
export function OpinionMap({ evaluationId }: { evaluationId: string }) {
  const map = useLoad(() => api.get<OpinionMapData>(evaluationPath(evaluationId, "/opinion")), [evaluationId]);
  return (
    <section aria-labelledby="opinion-heading">
      <h2 id="opinion-heading">{t("deliberate.opinionMap")}</h2>
      <Async state={map}>
        {(m) => (m.available ? <MapView map={m} /> : <p>{t("deliberate.mapUnavailable", { k: m.kAnonymity })}</p>)}
      </Async>
    </section>
  );
}

function MapView({ map }: { map: Drawn }) {
  const { groups } = map;
  const shown = groups.flatMap((g) => (g.suppressed ? [] : [g]));
  const you = map.you;
  const position = you?.inMap ? you.position : undefined;
  const points = [...shown.map((g) => g.center), ...(position ? [position] : [])];
  const extent = Math.max(1e-9, ...points.flatMap(([x, y]) => [Math.abs(x), Math.abs(y)]));
  const project = ([x, y]: Point) => [SIZE / 2 + (x / extent) * (SIZE / 2 - 30), SIZE / 2 - (y / extent) * (SIZE / 2 - 30)] as const;
  return (
    <>
      <p class="you-are-here">
        {you?.inMap ? (you.groupId !== null ? t("deliberate.youInGroup", { group: you.groupId + 1 }) : t("deliberate.youInMap")) : t("deliberate.youNotInMap")}
      </p>
      <figure class="opinion-map">
        <svg viewBox={`0 0 ${SIZE} ${SIZE}`} width={SIZE} height={SIZE} role="img" aria-label={t("deliberate.mapLabel")}>
          <rect x="0" y="0" width={SIZE} height={SIZE} fill="#f3f4f8" />
          {shown.map((g) => {
            const [cx, cy] = project(g.center);
            return (
              <g key={g.id}>
                <circle cx={cx} cy={cy} r={10 + Math.sqrt(g.participants)} fill="#1a4d8f" fill-opacity="0.25" stroke="#1a4d8f" />
                <text x={cx} y={cy + 4} text-anchor="middle" font-size="12" fill="#1b1b1f">
                  {t("deliberate.group", { group: g.id + 1 })}
                </text>
              </g>
            );
          })}
          {position ? (
            <g>
              <circle cx={project(position)[0]} cy={project(position)[1]} r="6" fill="#c4540a" />
              <text x={project(position)[0] + 9} y={project(position)[1] - 8} font-size="12" fill="#1b1b1f">
                {t("deliberate.youAreHere")}
              </text>
            </g>
          ) : null}
        </svg>
        <figcaption>{t("deliberate.mapCaption")}</figcaption>
      </figure>
      <table class="data-table">
        <caption>{t("deliberate.groupsTable")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("deliberate.groupColumn")}</th>
            <th scope="col">{t("results.participants")}</th>
            <th scope="col">{t("deliberate.representative")}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.id}>
              <th scope="row">{t("deliberate.group", { group: g.id + 1 })}</th>
              <td>{g.suppressed ? t("deliberate.suppressed", { k: map.kAnonymity }) : formatNumber(g.participants)}</td>
              <td>
                {(g.suppressed ? [] : g.representative).slice(0, 3).map((r) => (
                  <p key={r.statementId}>
                    {t(`deliberate.rep.${r.repfulFor}`, { share: formatPercent(r.share) })} <span dir="auto">“{r.text}”</span>
                  </p>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
