import { formatDate, formatList } from "../lib/format.ts";
import { t } from "../lib/i18n.ts";
import { ScrollRegion } from "../lib/scroll-region.tsx";
import type { ConsentEvent } from "../lib/types.ts";

const names = (scopes: readonly string[]) => (scopes.length ? formatList(scopes.map((s) => t(`scopes.${s}.name`))) : t("myData.nothing"));

/** Every consent change as a receipt, newest first, downloadable as JSON. */
export function ConsentReceipts({ history, pseudonym, evaluation }: { history: readonly ConsentEvent[]; pseudonym: string; evaluation: string }) {
  const download = () => {
    const blob = new Blob([JSON.stringify({ evaluation, pseudonym, receipts: history }, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `consent-receipts-${evaluation}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <section aria-labelledby="receipts-heading">
      <h2 id="receipts-heading">{t("myData.receipts")}</h2>
      {history.length === 0 ? (
        <p>{t("myData.noReceipts")}</p>
      ) : (
        <ScrollRegion label={t("myData.receipts")}>
        <table class="data-table" id="consent-receipts">
          <caption class="visually-hidden">{t("myData.receipts")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("myData.when")}</th>
              <th scope="col">{t("myData.changeKind")}</th>
              <th scope="col">{t("myData.granted")}</th>
              <th scope="col">{t("myData.revoked")}</th>
              <th scope="col">{t("myData.scopesAfter")}</th>
              <th scope="col">{t("myData.version")}</th>
            </tr>
          </thead>
          <tbody>
            {[...history].reverse().map((event) => (
              <tr key={String(event.id)}>
                <td>{formatDate(event.at)}</td>
                <td>{t(`myData.changes.${event.change}`)}</td>
                <td>{names(event.granted)}</td>
                <td>{names(event.revoked)}</td>
                <td>{names(event.scopes)}</td>
                <td>{event.charterVersion}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </ScrollRegion>
      )}
      <button type="button" class="secondary" onClick={download}>
        {t("myData.download")}
      </button>
    </section>
  );
}
