import { SUMMARY_TOPICS } from "../../core/results-summary-text.ts";
import { currentLanguage, hasTranslation, t } from "../lib/i18n.ts";
import { ruleName } from "./format.ts";
import type { Results } from "./types.ts";

type Summary = Results["summary"];
type Sentence = Summary["sentences"][number];

/** First-strong isolation: a name in another script keeps its own direction inside the sentence (as <bdi> would). */
const isolate = (text: string) => `\u2068${text}\u2069`;

function list(names: readonly string[], open: boolean): string {
  const format = new Intl.ListFormat(currentLanguage(), open ? { style: "short", type: "unit" } : { style: "long", type: "conjunction" });
  return format.format(names.map(isolate));
}

function reason(code: string): string {
  return hasTranslation(`summary.reasons.${code}`) ? t(`summary.reasons.${code}`) : t("summary.reasons.other");
}

/** One sentence of the server's summary in the reader's language: rule names and reasons translated, names isolated. */
export function sentenceText(sentence: Sentence): string {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(sentence.values)) {
    if (typeof value === "number") values[name] = value;
    else if (typeof value !== "string") values[name] = list(value, sentence.values.more !== undefined);
    else if (name === "rule" || name === "ruleA" || name === "ruleB") values[name] = ruleName(value);
    else if (name === "reason") values[name] = reason(value);
    else values[name] = isolate(value);
  }
  return t(`summary.${sentence.key}`, values);
}

/** The results in plain words, at the top of the page: the same sentences the card and the CLI print. */
export function SummaryPanel({ summary }: { summary: Summary }) {
  const topics = SUMMARY_TOPICS.filter((topic) => summary.sentences.some((s) => s.topic === topic));
  return (
    <section class="card results-summary" aria-labelledby="summary-heading" id="results-summary">
      <h2 id="summary-heading">{t("summary.title")}</h2>
      <dl>
        {topics.map((topic) => (
          <div key={topic} class="summary-topic">
            <dt>{t(`summary.topics.${topic}`)}</dt>
            {summary.sentences
              .filter((s) => s.topic === topic)
              .map((s, i) => (
                <dd key={`${s.key}-${i}`} data-key={s.key}>
                  {sentenceText(s)}
                </dd>
              ))}
          </div>
        ))}
      </dl>
      {summary.tiers.length > 1 ? (
        <details>
          <summary>{t("summary.tiersTitle")}</summary>
          <ol class="tiers">
            {summary.tiers.map((tier, i) => (
              <li key={i}>
                <strong>{t("summary.tier", { n: i + 1 })}</strong>{" "}
                {tier.subjects.map((name, j) => (
                  <span key={name}>
                    {j > 0 ? ", " : ""}
                    <bdi>{name}</bdi>
                  </span>
                ))}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      <p class="hint">{t("summary.detail")}</p>
    </section>
  );
}
