import { api, evaluationPath } from "../lib/api.ts";
import { formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { Link } from "../lib/router.tsx";
import { useTitle } from "../lib/title.ts";
import type { Counts, Evaluation, EvaluationDetail } from "../lib/types.ts";
import { InvitationForm } from "./InvitationForm.tsx";
import { ItemForm } from "./ItemForm.tsx";
import { ResponseForm } from "./ResponseForm.tsx";
import { StateControls } from "./StateControls.tsx";
import { SubjectForm } from "./SubjectForm.tsx";

interface Managed {
  detail: EvaluationDetail;
  counts: Counts | undefined;
  subjects: { id: string; name: string; kind: string }[];
  items: { id: string; title: string; prompt: string }[];
}

async function loadManaged(id: string): Promise<Managed> {
  const [detail, list, subjects, items] = await Promise.all([
    api.get<EvaluationDetail>(evaluationPath(id)),
    api.get<{ evaluations: (Evaluation & { counts: Counts })[] }>("/api/evaluations"),
    api.get<{ subjects: Managed["subjects"] }>(evaluationPath(id, "/subjects")),
    api.get<{ items: Managed["items"] }>(evaluationPath(id, "/items")),
  ]);
  return { detail, counts: list.evaluations.find((e) => e.id === detail.evaluation.id)?.counts, subjects: subjects.subjects, items: items.items };
}

/** One evaluation's control room: state and phase, progress, subjects, items, responses, invitations. */
export default function ManagePage({ id }: Record<string, string>) {
  useTitle(t("organise.manageTitle"));
  const state = useLoad(() => loadManaged(id ?? ""), [id]);
  return (
    <section>
      <Async state={state}>
        {({ detail, counts, subjects, items }) => {
          const e = detail.evaluation;
          if (detail.role !== "organiser") return <p class="callout">{t("organise.notOrganiser")}</p>;
          return (
            <>
              <h1>{e.title}</h1>
              <p class="muted">{t("organise.statusLine", { status: t(`status.${e.status}`), phase: t(`phases.${e.phase}`) })}</p>
              <StateControls evaluation={e} onChanged={state.reload} />
              <section aria-labelledby="progress-heading">
                <h2 id="progress-heading">{t("organise.progress")}</h2>
                <dl class="stats">
                  {(["subjects", "items", "responses", "participants", "judgments"] as const).map((k) => (
                    <div key={k}>
                      <dt>{t(`organise.counts.${k}`)}</dt>
                      <dd>{formatNumber(counts?.[k] ?? 0)}</dd>
                    </div>
                  ))}
                </dl>
                <p>
                  <Link href={`/e/${e.slug}/results`}>{t("organise.viewResults")}</Link>
                </p>
              </section>
              <SubjectForm evaluationId={e.id} subjects={subjects} onAdded={state.reload} />
              <ItemForm evaluationId={e.id} items={items} promptLimit={detail.charter?.content.textLimits.prompt ?? 4000} onAdded={state.reload} />
              <ResponseForm evaluationId={e.id} subjects={subjects} items={items} onAdded={state.reload} />
              <InvitationForm evaluationId={e.id} />
            </>
          );
        }}
      </Async>
    </section>
  );
}
