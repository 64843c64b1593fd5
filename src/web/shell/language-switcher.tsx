import { currentLanguage, LANGUAGES, switchLanguage, t, type Language } from "../lib/i18n.ts";

/** Language names are written in their own language so anyone can find theirs. */
const NATIVE_NAMES: Record<Language, string> = { en: "English", es: "Español", ar: "العربية" };

export function LanguageSwitcher() {
  const language = currentLanguage();
  return (
    <div class="language-switcher">
      <label for="language-select">{t("nav.language")}</label>
      <select id="language-select" value={language} onChange={(e) => void switchLanguage(e.currentTarget.value as Language)}>
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {NATIVE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
