import { formatDate, formatNumber } from "./format.ts";
import { t } from "./i18n.ts";
import type { Demand } from "./types.ts";

function isOverdue(milestone: Demand["milestones"][number]): boolean {
  return milestone.doneAt === null && milestone.dueAt !== null && new Date(milestone.dueAt).getTime() < Date.now();
}

/** The public record of one demand: the text, where it stands, the sponsor's answer word for word, progress and milestones. */
export function DemandRecord({ demand }: { demand: Demand }) {
  const { status } = demand;
  return (
    <>
      <h3 dir="auto">{demand.title}</h3>
      <p dir="auto">{demand.text}</p>
      <p class="muted">
        {t("govern.demandStatus", { status: t(`govern.demandStates.${status.status}`), endorsers: formatNumber(demand.endorsers) })}
        {status.status === "owed" || status.status === "overdue" ? ` · ${t("govern.dueBy", { date: formatDate(status.deadline) })}` : ""}
      </p>
      {status.status === "overdue" ? <p class="warning">{t("record.overdue", { date: formatDate(status.deadline) })}</p> : null}
      {demand.answer ? (
        <blockquote class="answer">
          <p>
            <strong>{t("govern.answer")}</strong> <span dir="auto">{demand.answer}</span>
          </p>
          {demand.answeredAt ? <p class="muted">{t(status.status === "answered" && status.late ? "record.answeredLate" : "record.answeredOn", { date: formatDate(demand.answeredAt) })}</p> : null}
        </blockquote>
      ) : null}
      <p>
        {t("record.progress", { progress: t(`record.progressStates.${demand.progress}`) })}
        {demand.progressReason ? <span dir="auto"> — {demand.progressReason}</span> : null}
      </p>
      {demand.milestones.length > 0 ? (
        <ul class="milestones">
          {demand.milestones.map((m) => (
            <li key={m.id}>
              <span dir="auto">{m.title}</span>
              {m.dueAt ? ` · ${t("record.due", { date: formatDate(m.dueAt) })}` : ""}
              {m.doneAt ? ` · ${t("record.done", { date: formatDate(m.doneAt) })}` : ""}
              {isOverdue(m) ? <strong class="error-text"> · {t("record.milestoneOverdue")}</strong> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
