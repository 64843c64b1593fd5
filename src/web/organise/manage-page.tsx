import { useState } from "preact/hooks";
import { api, evaluationPath } from "../lib/api.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { useTitle } from "../lib/title.ts";
import type { AnsweredList, EvaluationDetail, Item, ItemList, Subject, SubjectList } from "../lib/types.ts";
import { AnswersPanel } from "./answers-panel.tsx";
import { AnswersUpload } from "./answers-upload.tsx";
import { DemandsDesk } from "./demands-desk.tsx";
import { EndpointForm } from "./endpoint-form.tsx";
import { ExportForm } from "./export-form.tsx";
import { ImportForm } from "./import-form.tsx";
import { InvitationForm } from "./invitation-form.tsx";
import { ItemForm } from "./item-form.tsx";
import { ProgressPanel } from "./progress-panel.tsx";
import { StateControls } from "./state-controls.tsx";
import { SubjectForm } from "./subject-form.tsx";

interface Managed {
  detail: EvaluationDetail;
  subjects: Subject[];
  items: Item[];
  answers: AnsweredList["answers"];
}

async function loadManaged(id: string): Promise<Managed> {
  const detail = await api.get<EvaluationDetail>(evaluationPath(id));
  if (detail.role !== "organiser") return { detail, subjects: [], items: [], answers: [] };
  const [subjects, items, answers] = await Promise.all([
    api.get<SubjectList>(evaluationPath(id, "/subjects")),
    api.get<ItemList>(evaluationPath(id, "/items")),
    api.get<AnsweredList>(evaluationPath(id, "/responses")),
  ]);
  return { detail, subjects: subjects.subjects, items: items.items, answers: answers.answers };
}

/** One evaluation's control room: state, progress, subjects (live or imported), items, invitations, demands, exports. */
export default function ManagePage({ id }: Record<string, string>) {
  useTitle(t("organise.manageTitle"));
  const state = useLoad(() => loadManaged(id ?? ""), [id]);
  const [version, setVersion] = useState(0);
  const changed = () => {
    state.reload();
    setVersion((n) => n + 1);
  };
  return (
    <section>
      <Async state={state}>
        {({ detail, subjects, items, answers }) => {
          const e = detail.evaluation;
          if (detail.role !== "organiser") return <p class="callout">{t("organise.notOrganiser")}</p>;
          return (
            <>
              <h1 dir="auto">{e.title}</h1>
              <p class="muted">{t("organise.statusLine", { status: t(`status.${e.status}`), phase: t(`phases.${e.phase}`) })}</p>
              <StateControls evaluation={e} ready={items.some((i) => new Set(answers.filter((a) => a.itemId === i.id).map((a) => a.subjectId)).size >= 2)} onChanged={changed} />
              <ProgressPanel evaluationId={e.id} slug={e.slug} version={version} />
              <SubjectForm evaluationId={e.id} subjects={subjects} onAdded={changed} />
              <EndpointForm evaluationId={e.id} subjects={subjects} />
              <ItemForm evaluationId={e.id} items={items} promptLimit={detail.charter?.content.textLimits.prompt ?? 4000} onAdded={changed} />
              <AnswersPanel evaluationId={e.id} subjects={subjects} items={items} answers={answers} onAdded={changed} />
              <AnswersUpload evaluationId={e.id} subjects={subjects} items={items} answers={answers} onImported={changed} />
              <ImportForm evaluationId={e.id} onImported={changed} />
              <InvitationForm evaluationId={e.id} />
              <DemandsDesk evaluationId={e.id} />
              <ExportForm evaluationId={e.id} offered={detail.charter?.content.scopes ?? []} />
            </>
          );
        }}
      </Async>
    </section>
  );
}
