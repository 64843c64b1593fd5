import i18next from "i18next";
import type { Catalog } from "./locales/types.ts";

export const LANGUAGES = ["en", "es", "ar"] as const;
export type Language = (typeof LANGUAGES)[number];
const RTL: ReadonlySet<string> = new Set(["ar"]);
const STORAGE_KEY = "counterpublic.language";

const loaders: Record<Language, () => Promise<{ default: Catalog }>> = {
  en: () => import("./locales/en/index.ts"),
  es: () => import("./locales/es/index.ts"),
  ar: () => import("./locales/ar/index.ts"),
};

function isLanguage(value: string | null | undefined): value is Language {
  return value != null && (LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): Language | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

/** The language to start in: the stored choice, else the browser's first supported language, else English. */
export function initialLanguage(): Language {
  const stored = storedLanguage();
  if (stored) return stored;
  for (const tag of navigator.languages ?? []) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

async function ensureLoaded(language: Language): Promise<void> {
  if (i18next.hasResourceBundle(language, "translation")) return;
  const { default: catalog } = await loaders[language]();
  i18next.addResourceBundle(language, "translation", catalog, true, true);
}

function applyToDocument(language: Language): void {
  document.documentElement.lang = language;
  document.documentElement.dir = RTL.has(language) ? "rtl" : "ltr";
}

/** Every number interpolated into a string is written the language's way (plural forms pick by `count`). */
function localNumber(value: unknown, _format?: string, language?: string): string {
  // anything else passes through unchanged (undefined stays undefined, so i18next still sees it missing)
  return typeof value === "number" ? new Intl.NumberFormat(language).format(value) : (value as string);
}

export async function startI18n(language: Language): Promise<void> {
  await i18next.init({ lng: language, fallbackLng: "en", resources: {}, interpolation: { escapeValue: false, alwaysFormat: true, format: localNumber }, returnNull: false });
  await ensureLoaded("en");
  await ensureLoaded(language);
  await i18next.changeLanguage(language);
  applyToDocument(language);
}

/** Switches language, loads its catalog on demand, and remembers the choice. */
export async function switchLanguage(language: Language): Promise<void> {
  await ensureLoaded(language);
  await i18next.changeLanguage(language);
  applyToDocument(language);
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // private browsing: the choice lasts for this page only
  }
}

export function currentLanguage(): Language {
  const language = i18next.language;
  return isLanguage(language) ? language : "en";
}

/** Translates a catalog key; options interpolate {{name}} placeholders and pick plural forms (count). */
export function t(key: string, options?: Record<string, unknown>): string {
  return i18next.t(key, options ?? {}) as string;
}

export function onLanguageChange(listener: (language: string) => void): () => void {
  i18next.on("languageChanged", listener);
  return () => i18next.off("languageChanged", listener);
}

/** Whether the catalog (or the English fallback) has this key. */
export function hasTranslation(key: string): boolean {
  return i18next.exists(key);
}
