import { useState } from "preact/hooks";
import { t } from "../lib/i18n.ts";
import { Async, useLoad } from "../lib/load.tsx";
import { loadContext } from "../lib/participation.ts";
import { Link } from "../lib/router.tsx";
import { useTitle } from "../lib/title.ts";
import { ASSIGNMENT_MODES as MODES, type Assignment } from "../lib/types.ts";
import { AssignmentPanel } from "./assignment-panel.tsx";
import { LiveBattle } from "./live-battle.tsx";
import { RevisePanel } from "./revise-panel.tsx";

type Mode = Assignment["mode"] | "live";

export default function JudgePage({ id }: Record<string, string>) {
  useTitle(t("judge.title"));
  const context = useLoad(() => loadContext(id ?? ""), [id]);
  const [mode, setMode] = useState<Mode>("pairwise");
  const [revisions, setRevisions] = useState(0);
  return (
    <section class="judge-page">
      <h1>{t("judge.title")}</h1>
      <Async state={context}>
        {({ detail, me }) => {
          if (!me) return <NotParticipant slug={detail.evaluation.slug} />;
          if (!me.consent || me.consent.scopes.length === 0) return <NoConsent id={id ?? ""} />;
          const charter = detail.charter?.content;
          if (!charter) return null;
          if (detail.evaluation.phase === "deliberate") return <Deliberating slug={detail.evaluation.slug} />;
          const modes: readonly Mode[] = charter.participantItems === "off" ? MODES : [...MODES, "live"];
          return (
            <>
              <p class="lead" dir="auto">
                {detail.evaluation.question || detail.evaluation.title}
              </p>
              {me.consent.scopes.includes("aggregate") ? null : <NotCounted id={id ?? ""} />}
              <fieldset class="mode-picker">
                <legend>{t("judge.mode")}</legend>
                {modes.map((m) => (
                  <label key={m} class="choice">
                    <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
                    {t(`judge.modes.${m}`)}
                  </label>
                ))}
              </fieldset>
              {mode === "live" ? (
                <LiveBattle evaluationId={detail.evaluation.id} charter={charter} onJudged={() => setRevisions((n) => n + 1)} />
              ) : (
                <AssignmentPanel key={mode} evaluationId={detail.evaluation.id} mode={mode} charter={charter} onJudged={() => setRevisions((n) => n + 1)} />
              )}
              <RevisePanel key={revisions} evaluationId={detail.evaluation.id} charter={charter} />
            </>
          );
        }}
      </Async>
    </section>
  );
}

function NotParticipant({ slug }: { slug: string }) {
  return (
    <div class="callout">
      <p>{t("journey.judge.notParticipant")}</p>
      <p>
        <Link href={`/e/${encodeURIComponent(slug)}/join`}>{t("journey.judge.howToJoin")}</Link>
      </p>
    </div>
  );
}

/** Judging pauses while people deliberate: say so, and where to go instead. */
function Deliberating({ slug }: { slug: string }) {
  const base = `/e/${encodeURIComponent(slug)}`;
  return (
    <div class="callout" id="deliberation-phase">
      <p>{t("journey.judge.deliberating")}</p>
      <ul>
        <li>
          <Link href={`${base}/deliberate`}>{t("journey.judge.toDeliberate")}</Link>
        </li>
        <li>
          <Link href={`${base}/govern`}>{t("journey.judge.toGovern")}</Link>
        </li>
        <li>
          <Link href={`${base}/results`}>{t("journey.judge.toResults")}</Link>
        </li>
      </ul>
    </div>
  );
}

function NoConsent({ id }: { id: string }) {
  return (
    <div class="callout">
      <p>{t("judge.noConsent")}</p>
      <p>
        <Link href={`/e/${encodeURIComponent(id)}/my-data`}>{t("judge.giveConsent")}</Link>
      </p>
    </div>
  );
}

/** After revoking "count in results", judging still works but counts for nothing: say so before the next judgment. */
function NotCounted({ id }: { id: string }) {
  return (
    <div class="warning" role="status">
      <p>{t("judge.notCounted")}</p>
      <p>
        <Link href={`/e/${encodeURIComponent(id)}/my-data`}>{t("judge.countAgain")}</Link>
      </p>
    </div>
  );
}
