import { useLayoutEffect, useRef } from "preact/hooks";
import { t } from "../lib/i18n.ts";
import { describeJudgment } from "../lib/judgments.ts";
import type { CastResult, Judgment } from "../lib/types.ts";

/** After the vote: which subjects were behind the letters, and what was recorded. */
export function Revealed({ cast, judgment, onNext }: { cast: CastResult; judgment: Judgment; onNext: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => heading.current?.focus(), []);
  return (
    <section class="revealed" aria-labelledby="revealed-heading">
      <h2 id="revealed-heading" ref={heading} tabIndex={-1}>
        {t("judge.revealed.title")}
      </h2>
      <p>{t("judge.revealed.recorded", { what: describeJudgment(judgment) })}</p>
      {cast.revealed.length > 0 ? (
        <dl class="reveal-list">
          {cast.revealed.map((r) => (
            <div key={r.key}>
              <dt>{t("judge.response", { key: r.key.toUpperCase() })}</dt>
              <dd>
                {r.subject?.name ?? t("common.unknown")}
                {r.subject?.organisation ? ` (${r.subject.organisation})` : ""}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      <button type="button" class="primary" onClick={onNext}>
        {t("judge.next")}
      </button>
    </section>
  );
}
