import { useEffect, useRef, useState } from "preact/hooks";
import { onLanguageChange, t } from "../lib/i18n.ts";
import { LazyPage } from "../lib/lazy.tsx";
import { Link, match, usePath } from "../lib/router.tsx";
import { LanguageSwitcher } from "./language-switcher.tsx";
import { EvaluationNav } from "./evaluation-nav.tsx";
import { ROUTES } from "./routes.ts";

function resolve(path: string) {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

/** The page frame: skip link, header, language choice, the current page, focus moved to it on navigation. */
export function App() {
  const path = usePath();
  const [, setLanguage] = useState("");
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => onLanguageChange(setLanguage), []);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
    scrollTo(0, 0);
  }, [path]);
  const found = resolve(path);
  return (
    <>
      <a class="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <header class="site-header">
        <Link href="/" class="brand">
          {t("app.name")}
        </Link>
        <nav aria-label={t("nav.site")}>
          <ul class="nav-list">
            <li>
              <Link href="/" aria-current={path === "/" ? "page" : undefined}>
                {t("nav.home")}
              </Link>
            </li>
            <li>
              <Link href="/organise" aria-current={path.startsWith("/organise") ? "page" : undefined}>
                {t("nav.organise")}
              </Link>
            </li>
          </ul>
        </nav>
        <LanguageSwitcher />
      </header>
      {found?.route.area && found.params.id ? <EvaluationNav id={found.params.id} area={found.route.area} /> : null}
      <main id="main" ref={main} tabIndex={-1}>
        {found ? <LazyPage loader={found.route.loader} params={found.params} /> : <NotFound />}
      </main>
      <footer class="site-footer">
        <p>{t("app.footer")}</p>
      </footer>
    </>
  );
}

function NotFound() {
  useEffect(() => {
    document.title = `${t("notFound.title")} · ${t("app.name")}`;
  }, []);
  return (
    <section>
      <h1>{t("notFound.title")}</h1>
      <p>
        <Link href="/">{t("notFound.home")}</Link>
      </p>
    </section>
  );
}
