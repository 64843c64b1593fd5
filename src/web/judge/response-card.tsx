import { t } from "../lib/i18n.ts";
import { Markdown } from "../lib/markdown.tsx";

/** One anonymous response: a position letter, never the subject's name. */
export function ResponseCard({ responseKey, text }: { responseKey: string; text: string }) {
  const label = t("judge.response", { key: responseKey.toUpperCase() });
  return (
    <section class="response" aria-label={label}>
      <h3>{label}</h3>
      <Markdown class="response-text" text={text} />
    </section>
  );
}
