import { useState } from "preact/hooks";
import { t } from "../lib/i18n.ts";
import { ResponseCard } from "./response-card.tsx";

interface Row {
  key: string;
  text: string;
  tiedWithAbove: boolean;
}

interface Props {
  responses: readonly { key: string; text: string }[];
  pending: boolean;
  onSubmit: (order: string[][]) => void;
}

/** Best first; a row marked "tied with the one above" shares its group (ties are allowed). */
export function toOrder(rows: readonly Row[]): string[][] {
  const order: string[][] = [];
  rows.forEach((row, index) => {
    const last = order[order.length - 1];
    if (index > 0 && row.tiedWithAbove && last) last.push(row.key);
    else order.push([row.key]);
  });
  return order;
}

function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  const [entry] = copy.splice(from, 1);
  if (entry !== undefined) copy.splice(to, 0, entry);
  return copy;
}

/** Ranking by dragging, or with the keyboard through the move buttons; each move is announced. */
export function RankingBoard({ responses, pending, onSubmit }: Props) {
  const [rows, setRows] = useState<Row[]>(() => responses.map((r) => ({ ...r, tiedWithAbove: false })));
  const [dragging, setDragging] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const move = (from: number, to: number) => {
    if (to < 0 || to >= rows.length) return;
    const next = moved(rows, from, to);
    setRows(next);
    const key = rows[from]?.key ?? "";
    setAnnouncement(t("judge.ranking.moved", { key: key.toUpperCase(), position: to + 1, total: rows.length }));
    queueMicrotask(() => document.getElementById(`move-${key}-${to < from ? "up" : "down"}`)?.focus());
  };
  const toggleTie = (index: number) => setRows(rows.map((row, i) => (i === index ? { ...row, tiedWithAbove: !row.tiedWithAbove } : row)));
  return (
    <form
      class="ranking"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(toOrder(rows));
      }}
    >
      <p class="hint" id="ranking-help">
        {t("judge.ranking.help")}
      </p>
      <ol class="ranking-list" aria-describedby="ranking-help">
        {rows.map((row, index) => (
          <li
            key={row.key}
            class={`ranking-row${dragging === index ? " dragging" : ""}`}
            draggable
            onDragStart={(e) => {
              setDragging(index);
              e.dataTransfer?.setData("text/plain", String(index));
            }}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              if (dragging !== null) move(dragging, index);
              setDragging(null);
            }}
            onDragEnd={() => setDragging(null)}
          >
            <p class="rank-position">{t("judge.ranking.position", { position: index + 1 })}</p>
            <ResponseCard responseKey={row.key} text={row.text} />
            <div class="button-row">
              <button type="button" id={`move-${row.key}-up`} class="secondary" disabled={index === 0} onClick={() => move(index, index - 1)}>
                {t("judge.ranking.up", { key: row.key.toUpperCase() })}
              </button>
              <button type="button" id={`move-${row.key}-down`} class="secondary" disabled={index === rows.length - 1} onClick={() => move(index, index + 1)}>
                {t("judge.ranking.down", { key: row.key.toUpperCase() })}
              </button>
              {index > 0 ? (
                <label class="choice">
                  <input type="checkbox" checked={row.tiedWithAbove} onChange={() => toggleTie(index)} />
                  {t("judge.ranking.tied", { key: row.key.toUpperCase() })}
                </label>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <button type="submit" class="primary" disabled={pending}>
        {t("judge.ranking.submit")}
      </button>
    </form>
  );
}
