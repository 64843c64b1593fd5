import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t } from "./i18n.ts";

type PageProps = Record<string, string>;
type Loader = () => Promise<{ default: ComponentType<PageProps> }>;

const cache = new Map<Loader, ComponentType<PageProps>>();

/** A page whose code is fetched only when it is first shown (one chunk per area). */
export function LazyPage({ loader, params }: { loader: Loader; params: PageProps }) {
  const [Page, setPage] = useState<ComponentType<PageProps> | undefined>(() => cache.get(loader));
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const known = cache.get(loader);
    if (known) {
      setPage(() => known);
      return;
    }
    let live = true;
    setPage(undefined);
    loader().then(
      (module) => {
        cache.set(loader, module.default);
        if (live) setPage(() => module.default);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [loader]);
  if (failed) return <p class="error-text" role="alert">{t("errors.network")}</p>;
  if (!Page) return <p class="loading" role="status">{t("common.loading")}</p>;
  return <Page {...params} />;
}
