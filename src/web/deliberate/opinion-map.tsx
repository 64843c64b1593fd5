import { api, evaluationPath } from "../lib/api.ts";
import { formatNumber, formatPercent } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";

interface Group {
  id: number;
  suppressed: boolean;
  participants?: number;
  center?: [number, number];
  representative?: { statementId: string; text: string; repfulFor: "agree" | "disagree"; share: number }[];
}

interface OpinionResponse {
  available: boolean;
  reason?: string;
  kAnonymity: number;
  groups?: Group[];
  you?: { inMap: boolean; position?: [number, number]; groupId?: number | null } | null;
}

const SIZE = 300;

/** Opinion groups from statement votes, with "you are here"; the list below the map is its text version. */
export function OpinionMap({ evaluationId }: { evaluationId: string }) {
  const map = useLoad(() => api.get<OpinionResponse>(evaluationPath(evaluationId, "/opinion")), [evaluationId]);
  return (
    <section aria-labelledby="opinion-heading">
      <h2 id="opinion-heading">{t("deliberate.opinionMap")}</h2>
      <Async state={map}>
        {(m) => (m.available && m.groups ? <MapView map={m} groups={m.groups} /> : <p>{t("deliberate.mapUnavailable", { k: m.kAnonymity })}</p>)}
      </Async>
    </section>
  );
}

function MapView({ map, groups }: { map: OpinionResponse; groups: Group[] }) {
  const shown = groups.filter((g) => !g.suppressed && g.center);
  const points = [...shown.map((g) => g.center as [number, number]), ...(map.you?.position ? [map.you.position] : [])];
  const extent = Math.max(1e-9, ...points.flatMap(([x, y]) => [Math.abs(x), Math.abs(y)]));
  const project = ([x, y]: [number, number]) => [SIZE / 2 + (x / extent) * (SIZE / 2 - 30), SIZE / 2 - (y / extent) * (SIZE / 2 - 30)] as const;
  const you = map.you;
  return (
    <>
      <p class="you-are-here">
        {you?.inMap ? (you.groupId != null ? t("deliberate.youInGroup", { group: you.groupId + 1 }) : t("deliberate.youInMap")) : t("deliberate.youNotInMap")}
      </p>
      <figure class="opinion-map">
        <svg viewBox={`0 0 ${SIZE} ${SIZE}`} width={SIZE} height={SIZE} role="img" aria-label={t("deliberate.mapLabel")}>
          <rect x="0" y="0" width={SIZE} height={SIZE} fill="#f3f4f8" />
          {shown.map((g) => {
            const [cx, cy] = project(g.center as [number, number]);
            return (
              <g key={g.id}>
                <circle cx={cx} cy={cy} r={10 + Math.sqrt(g.participants ?? 1)} fill="#1a4d8f" fill-opacity="0.25" stroke="#1a4d8f" />
                <text x={cx} y={cy + 4} text-anchor="middle" font-size="12" fill="#1b1b1f">
                  {t("deliberate.group", { group: g.id + 1 })}
                </text>
              </g>
            );
          })}
          {you?.position ? (
            <g>
              <circle cx={project(you.position)[0]} cy={project(you.position)[1]} r="6" fill="#c4540a" />
              <text x={project(you.position)[0] + 9} y={project(you.position)[1] - 8} font-size="12" fill="#1b1b1f">
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
              <td>{g.suppressed ? t("deliberate.suppressed", { k: map.kAnonymity }) : formatNumber(g.participants ?? 0)}</td>
              <td>
                {(g.representative ?? []).slice(0, 3).map((r) => (
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
