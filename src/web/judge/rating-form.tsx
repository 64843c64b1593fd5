import { useState } from "preact/hooks";
import { t } from "../lib/i18n.ts";
import type { RubricDimension } from "../lib/types.ts";

interface Props {
  rubric: readonly RubricDimension[];
  pending: boolean;
  onSubmit: (scores: Record<string, number>) => void;
}

function range(min: number, max: number): number[] {
  return Array.from({ length: Math.max(0, max - min + 1) }, (_, i) => min + i);
}

/** One radio group per rubric dimension, on the charter's own scale. */
export function RatingForm({ rubric, pending, onSubmit }: Props) {
  const [scores, setScores] = useState<Record<string, number>>({});
  const [error, setError] = useState("");
  const submit = (event: Event) => {
    event.preventDefault();
    if (Object.keys(scores).length === 0) {
      setError(t("judge.rating.none"));
      return;
    }
    setError("");
    onSubmit(scores);
  };
  return (
    <form class="rating-form" noValidate onSubmit={submit} aria-describedby={error ? "rating-error" : undefined}>
      {rubric.map((dimension) => (
        <fieldset key={dimension.name} class="scale">
          <legend>{dimension.label}</legend>
          {dimension.description ? <p class="hint">{dimension.description}</p> : null}
          <div class="scale-options">
            {range(dimension.min, dimension.max).map((value) => (
              <label key={value} class="scale-option">
                <input type="radio" name={`score-${dimension.name}`} value={value} checked={scores[dimension.name] === value} onChange={() => setScores({ ...scores, [dimension.name]: value })} />
                <span>{value}</span>
              </label>
            ))}
          </div>
          <p class="hint">{t("judge.rating.scale", { min: dimension.min, max: dimension.max })}</p>
        </fieldset>
      ))}
      <div aria-live="assertive">
        {error ? (
          <p id="rating-error" class="field-error">
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" class="primary" disabled={pending}>
        {t("judge.rating.submit")}
      </button>
    </form>
  );
}
