import { useEffect } from "preact/hooks";
import { currentLanguage, t } from "./i18n.ts";

/** Sets the document title for the page (re-run when the language changes). */
export function useTitle(title: string): void {
  const language = currentLanguage();
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [title, language]);
}
