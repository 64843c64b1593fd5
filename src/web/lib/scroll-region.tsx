import type { ComponentChildren } from "preact";
import { t } from "./i18n.ts";

/** A horizontally scrollable, keyboard-focusable region for wide tables on small screens. */
export function ScrollRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="scroll-region" role="region" aria-label={t("common.tableRegion", { label })} tabIndex={0}>
      {children}
    </div>
  );
}
