import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { loadContext } from "../lib/participation.ts";
import { useTitle } from "../lib/title.ts";
import { Demands } from "./demands.tsx";
import { MinorityReports } from "./minority-reports.tsx";
import { Proposals } from "./proposals.tsx";

/** Deciding together under the charter: proposals and ballots, demands to the sponsor, minority reports. */
export default function GovernPage({ id }: Record<string, string>) {
  useTitle(t("govern.title"));
  const context = useLoad(() => loadContext(id ?? ""), [id]);
  return (
    <section>
      <h1>{t("govern.title")}</h1>
      <Async state={context}>
        {({ detail, me }) => {
          const participant = Boolean(me);
          const limit = detail.charter?.content.textLimits.post ?? 5000;
          return (
            <>
              <p class="lead">{t("govern.intro")}</p>
              <Proposals evaluationId={detail.evaluation.id} participant={participant} charter={detail.charter?.content} />
              <Demands evaluationId={detail.evaluation.id} participant={participant} limit={limit} />
              <MinorityReports evaluationId={detail.evaluation.id} participant={participant} limit={limit} />
            </>
          );
        }}
      </Async>
    </section>
  );
}
