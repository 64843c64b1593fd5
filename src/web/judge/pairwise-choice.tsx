import { t } from "../lib/i18n.ts";
import { PAIRWISE_OUTCOMES as OUTCOMES, type PairwiseOutcome } from "../lib/types.ts";

/** The four answers to a battle; each is a button, reachable and usable with the keyboard alone. */
export function PairwiseChoice({ pending, onChoose }: { pending: boolean; onChoose: (outcome: PairwiseOutcome) => void }) {
  return (
    <div class="choice-group" role="group" aria-label={t("judge.whichBetter")}>
      <p class="group-label">{t("judge.whichBetter")}</p>
      <div class="button-row">
        {OUTCOMES.map((outcome) => (
          <button key={outcome} type="button" class={outcome === "a" || outcome === "b" ? "primary" : "secondary"} disabled={pending} onClick={() => onChoose(outcome)}>
            {t(`judge.outcomes.${outcome}`)}
          </button>
        ))}
      </div>
    </div>
  );
}
