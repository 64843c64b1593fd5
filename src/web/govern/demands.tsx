import { api, evaluationPath } from "../lib/api.ts";
import { FormStatus, useSubmission } from "../lib/form.tsx";
import { formatDate, formatNumber } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import type { DemandList } from "../lib/types.ts";
import { WritingForm } from "./writing-form.tsx";

/** Demands to the sponsor: endorse them; past the charter's threshold the sponsor must answer in public. */
export function Demands({ evaluationId, participant, limit }: { evaluationId: string; participant: boolean; limit: number }) {
  const list = useLoad(() => api.get<DemandList>(evaluationPath(evaluationId, "/demands")), [evaluationId]);
  const endorsing = useSubmission();
  const endorse = (id: string) =>
    void endorsing.run(async () => {
      await api.post(evaluationPath(evaluationId, `/demands/${id}/endorsements`), {});
      list.reload();
    });
  return (
    <section aria-labelledby="demands-heading">
      <h2 id="demands-heading">{t("govern.demands")}</h2>
      <FormStatus error={endorsing.formError} />
      <Async state={list}>
        {({ demands }) =>
          demands.length === 0 ? (
            <p>{t("govern.noDemands")}</p>
          ) : (
            <ul class="plain-list">
              {demands.map((d) => (
                <li key={d.id} class="card">
                  <h3 dir="auto">{d.title}</h3>
                  <p dir="auto">{d.text}</p>
                  <p class="muted">
                    {t("govern.demandStatus", { status: t(`govern.demandStates.${d.status.status}`, { defaultValue: d.status.status }), endorsers: formatNumber(d.endorsers) })}
                    {d.status.status === "owed" || d.status.status === "overdue" ? ` · ${t("govern.dueBy", { date: formatDate(d.status.deadline) })}` : ""}
                  </p>
                  <Threshold endorsers={d.endorsers} needed={d.needed} />
                  {d.answer ? (
                    <p>
                      <strong>{t("govern.answer")}</strong> <span dir="auto">{d.answer}</span>
                    </p>
                  ) : null}
                  {participant && d.mine ? <p class="hint">{t("journey.govern.ownDemand")}</p> : null}
                  {participant && !d.mine ? (
                    <button type="button" class="secondary" disabled={endorsing.pending} onClick={() => endorse(d.id)}>
                      {t("govern.endorse", { title: d.title })}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      {participant ? (
        <details>
          <summary>{t("govern.newDemand")}</summary>
          <WritingForm prefix="demand" titleLabel={t("govern.demandTitle")} textLabel={t("govern.demandText")} submitLabel={t("govern.submitDemand")} limit={limit} send={(body) => api.post(evaluationPath(evaluationId, "/demands"), body)} onDone={list.reload} />
        </details>
      ) : null}
    </section>
  );
}

/** Endorsements that count against the charter's threshold: past it, the sponsor owes a public answer. */
function Threshold({ endorsers, needed }: { endorsers: number; needed: number }) {
  const label = t("journey.govern.endorsements", { endorsers: formatNumber(endorsers), needed: formatNumber(needed) });
  return (
    <div class="turnout">
      <p>{label}</p>
      <progress max={Math.max(needed, 1)} value={Math.min(endorsers, Math.max(needed, 1))} aria-label={label} />
    </div>
  );
}
