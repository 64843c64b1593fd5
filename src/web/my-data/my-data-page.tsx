import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { loadContext } from "../lib/participation.ts";
import { Link } from "../lib/router.tsx";
import { useTitle } from "../lib/title.ts";
import { ConsentForm } from "../join/consent-form.tsx";
import { ConsentReceipts } from "./consent-receipts.tsx";
import { ExportsAndLabour } from "./exports-and-labour.tsx";
import { MyContributions } from "./my-contributions.tsx";
import { RevokeConsent } from "./revoke-consent.tsx";

/** Everything about me in this evaluation: consent now and its history, changes and revocation. */
export default function MyDataPage({ id }: Record<string, string>) {
  useTitle(t("myData.title"));
  const context = useLoad(() => loadContext(id ?? ""), [id]);
  return (
    <section>
      <h1>{t("myData.title")}</h1>
      <Async state={context}>
        {({ detail, me }) => {
          if (!me) {
            return (
              <p class="callout">
                {t("judge.notParticipant")} <Link href="/">{t("nav.home")}</Link>
              </p>
            );
          }
          const granted = me.consent?.scopes ?? [];
          return (
            <>
              <p>{t("myData.pseudonym", { pseudonym: me.participant.pseudonym })}</p>
              {me.participant.communities.length > 0 ? <p>{t("myData.communities", { communities: me.participant.communities.join(", ") })}</p> : null}
              <section aria-labelledby="consent-now">
                <h2 id="consent-now">{t("myData.consentNow")}</h2>
                {granted.length > 0 ? (
                  <ul>
                    {granted.map((scope) => (
                      <li key={scope}>{t(`scopes.${scope}.name`)}</li>
                    ))}
                  </ul>
                ) : (
                  <p class="callout">{t("myData.noConsent")}</p>
                )}
                {me.consent ? <p class="muted">{t("myData.underVersion", { version: me.consent.charterVersion })}</p> : null}
              </section>
              <RevokeConsent evaluationId={detail.evaluation.id} granted={granted} onChanged={context.reload} />
              <section aria-labelledby="consent-change">
                <h2 id="consent-change">{t("myData.change")}</h2>
                <ConsentForm
                  key={granted.join(",")}
                  evaluationId={detail.evaluation.id}
                  offered={detail.charter?.content.scopes ?? []}
                  granted={granted}
                  askCommunities={false}
                  submitLabel={t("myData.saveConsent")}
                  onSaved={context.reload}
                />
              </section>
              <MyContributions evaluationId={detail.evaluation.id} />
              <ExportsAndLabour evaluationId={detail.evaluation.id} />
              <ConsentReceipts history={me.history} pseudonym={me.participant.pseudonym} evaluation={detail.evaluation.slug} />
            </>
          );
        }}
      </Async>
    </section>
  );
}
