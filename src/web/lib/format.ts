import { currentLanguage, t } from "./i18n.ts";

/** Numbers, dates and durations through Intl, in the chosen language. */
export function formatNumber(value: number, digits = 0): string {
  return new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

export function formatPercent(value: number, digits = 0): string {
  return new Intl.NumberFormat(currentLanguage(), { style: "percent", maximumFractionDigits: digits }).format(value);
}

export function formatDate(value: string | Date): string {
  const date = typeof value === "string" ? new Date(value) : value;
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: "medium", timeStyle: "short" }).format(date);
}

export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(currentLanguage(), { style: "currency", currency }).format(amount);
  } catch {
    return `${formatNumber(amount, 2)} ${currency}`;
  }
}

/** Measured time in the unit that reads best: seconds, minutes, or hours. */
export function formatHours(milliseconds: number): string {
  const [unit, value] =
    milliseconds < 60_000 ? (["second", milliseconds / 1000] as const) : milliseconds < 3_600_000 ? (["minute", milliseconds / 60_000] as const) : (["hour", milliseconds / 3_600_000] as const);
  return new Intl.NumberFormat(currentLanguage(), { style: "unit", unit, unitDisplay: "long", maximumFractionDigits: unit === "hour" ? 2 : 0 }).format(value);
}

export function formatList(values: readonly string[]): string {
  return new Intl.ListFormat(currentLanguage(), { style: "long", type: "conjunction" }).format(values);
}

/** An evaluation's counts, each with its language's plural form ("1 item · 2 subjects …"). */
export function evaluationCounts(counts: { items: number; subjects: number; judgments: number; participants: number }): string {
  return [t("home.countItems", { count: counts.items }), t("home.countSubjects", { count: counts.subjects }), t("home.countJudgments", { count: counts.judgments }), t("home.countParticipants", { count: counts.participants })].join(" · ");
}

/** A minority report gathering signatures: how many so far and how many more it needs, each pluralised. */
export function reportProgress(signers: number, needed: number): string {
  return `${t("govern.reportGathering", { count: signers })} ${t("govern.reportNeeded", { count: needed })}`;
}
