import { formatDate, formatNumber } from "./format.ts";
import { t } from "./i18n.ts";

/** A demand as GET /api/evaluations/:id/demands answers it. */
export interface DemandView {
  id: string;
  title: string;
  text: string;
  createdAt: string;
  endorsers: number;
  needed: number;
  status: { status: "gathering" | "owed" | "overdue" | "answered"; deadline?: string; answeredAt?: string; late?: boolean };
  answer: string | null;
  answeredAt: string | null;
  progress: "open" | "acknowledged" | "in_progress" | "done" | "declined";
  progressReason: string | null;
  milestones: { id: string; title: string; dueAt: string | null; doneAt: string | null }[];
  milestoneSummary: { total: number; done: number; overdue: string[] };
}

function isOverdue(milestone: DemandView["milestones"][number]): boolean {
  return milestone.doneAt === null && milestone.dueAt !== null && new Date(milestone.dueAt).getTime() < Date.now();
}

/** The public record of one demand: the text, where it stands, the sponsor's answer word for word, progress and milestones. */
export function DemandRecord({ demand }: { demand: DemandView }) {
  const { status } = demand;
  return (
    <>
      <h3 dir="auto">{demand.title}</h3>
      <p dir="auto">{demand.text}</p>
      <p class="muted">
        {t("govern.demandStatus", { status: t(`govern.demandStates.${status.status}`), endorsers: formatNumber(demand.endorsers) })}
        {status.deadline && status.status !== "answered" ? ` · ${t("govern.dueBy", { date: formatDate(status.deadline) })}` : ""}
      </p>
      {status.status === "overdue" ? <p class="warning">{t("record.overdue", { date: formatDate(status.deadline ?? demand.createdAt) })}</p> : null}
      {demand.answer ? (
        <blockquote class="answer">
          <p>
            <strong>{t("govern.answer")}</strong> <span dir="auto">{demand.answer}</span>
          </p>
          {demand.answeredAt ? <p class="muted">{t(status.late ? "record.answeredLate" : "record.answeredOn", { date: formatDate(demand.answeredAt) })}</p> : null}
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
