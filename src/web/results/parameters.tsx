import { hasTranslation, t } from "../lib/i18n.ts";
import type { RuleResult } from "./types.ts";

/** A parameter whose wording depends on its value has one catalog entry per kind of value (its first word). */
function variant(value: string | number | boolean): string {
  return typeof value === "string" ? (value.toLowerCase().match(/[a-z]+/)?.[0] ?? "") : "";
}

/** A parameter in plain words in the reader's language, or null when the catalog has no wording for it. */
export function parameterText(rule: string, key: string, value: string | number | boolean): string | null {
  for (const candidate of [`ruleParams.${rule}.${key}-${variant(value)}`, `ruleParams.${rule}.${key}`]) {
    if (hasTranslation(candidate)) return t(candidate, { value });
  }
  return null;
}

/** Every parameter of a rule, translated; one the catalog does not know is shown as it is, marked as English. */
export function ParameterList({ rule, parameters }: { rule: string; parameters: RuleResult["parameters"] }) {
  const entries = Object.entries(parameters).filter((entry): entry is [string, string | number | boolean] => entry[1] !== null);
  if (entries.length === 0) return <>—</>;
  return (
    <ul class="parameters">
      {entries.map(([key, value]) => {
        const text = parameterText(rule, key, value);
        return text === null ? (
          <li key={key} lang="en" dir="ltr">
            <code>{key}</code> = {String(value)}
          </li>
        ) : (
          <li key={key}>{text}</li>
        );
      })}
    </ul>
  );
}
