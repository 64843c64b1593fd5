import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { loadContext } from "../lib/participation.ts";
import { useTitle } from "../lib/title.ts";
import { OpinionMap } from "./opinion-map.tsx";
import { Statements } from "./statements.tsx";
import { Threads } from "./threads.tsx";

/** Discuss, write and vote on statements, and see where you stand among the opinion groups. */
export default function DeliberatePage({ id }: Record<string, string>) {
  useTitle(t("deliberate.title"));
  const context = useLoad(() => loadContext(id ?? ""), [id]);
  return (
    <section>
      <h1>{t("deliberate.title")}</h1>
      <Async state={context}>
        {({ detail, me }) => {
          const limits = detail.charter?.content.textLimits;
          const canWrite = Boolean(me?.consent?.scopes.length);
          return (
            <>
              <p class="lead">{t("deliberate.intro")}</p>
              <Statements evaluationId={detail.evaluation.id} limit={limits?.statement ?? 280} canWrite={canWrite} />
              <OpinionMap evaluationId={detail.evaluation.id} />
              <Threads evaluationId={detail.evaluation.id} limit={limits?.post ?? 5000} canWrite={canWrite} />
            </>
          );
        }}
      </Async>
    </section>
  );
}
