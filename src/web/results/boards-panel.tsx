import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import { formatScore } from "./format.ts";
import type { Results, RuleResult } from "./types.ts";

/** The two labelled boards, blind votes and revised votes, Bradley–Terry each, and the change between them. */
export function BoardsPanel({ boards, rules }: { boards: Results["boards"]; rules: readonly RuleResult[] }) {
  const headline = rules.find((r) => r.rule === "bt");
  return (
    <section aria-labelledby="boards-heading">
      <h2 id="boards-heading">{t("boards.title")}</h2>
      <p>{t(`boards.counts.${boards.headline}`)}</p>
      <p class="hint">{t("boards.why")}</p>
      {boards.identical ? (
        <p role="status">{t("boards.identical")}</p>
      ) : boards.revisions.suppressed ? (
        <p role="status">{t("boards.fewRevisers", { k: boards.revisions.suppressed.k })}</p>
      ) : headline && boards.other && boards.change ? (
        <BoardsTable headline={headline} other={boards.other} change={boards.change} revisions={boards.revisions} headlineBoard={boards.headline} />
      ) : null}
    </section>
  );
}

type Other = NonNullable<Results["boards"]["other"]>;
type Change = NonNullable<Results["boards"]["change"]>;

function BoardsTable(props: { headline: RuleResult; other: Other; change: Change; revisions: Results["boards"]["revisions"]; headlineBoard: Results["boards"]["headline"] }) {
  const { headline, other, change, revisions } = props;
  const otherBy = new Map(other.rule.subjects.map((s) => [s.name, s]));
  return (
    <>
      <p>
        {t("boards.revised", { count: revisions.judgments ?? 0, people: formatNumber(revisions.people ?? 0) })}{" "}
        {t("boards.change", { tau: change.tau === null ? "—" : formatNumber(change.tau, 2), count: change.flippedCount })}
      </p>
      <ScrollRegion label={t("boards.title")}>
        <table class="data-table compact" id="boards">
          <caption class="visually-hidden">{t("boards.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("results.subject")}</th>
              <th scope="col">
                {t(`boards.label.${props.headlineBoard}`)}
                <span class="th-sub">{t("boards.headline")}</span>
              </th>
              <th scope="col">{t(`boards.label.${other.board}`)}</th>
            </tr>
          </thead>
          <tbody>
            {headline.subjects.map((s) => {
              const o = otherBy.get(s.name);
              return (
                <tr key={s.name}>
                  <th scope="row">
                    <bdi>{s.name}</bdi>
                  </th>
                  <td>{`${s.rank} · ${formatScore(s.score)}`}</td>
                  <td>{o ? `${o.rank} · ${formatScore(o.score)}` : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
