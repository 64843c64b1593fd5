import { currentLanguage } from "./i18n.ts";

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

export function formatHours(milliseconds: number): string {
  return new Intl.NumberFormat(currentLanguage(), { style: "unit", unit: "hour", maximumFractionDigits: 2 }).format(milliseconds / 3_600_000);
}

export function formatList(values: readonly string[]): string {
  return new Intl.ListFormat(currentLanguage(), { style: "long", type: "conjunction" }).format(values);
}
