/**
 * The style of one response, as Chatbot Arena's style control measures it: length in tokens and counts of
 * Markdown headers, list items and bold spans, with fenced code blocks removed before counting Markdown.
 * There is no tokenizer here: a token is a run of letters or digits, or one other non-space character
 * (close to a BPE count for prose; the fit uses only the normalised difference (a − b)/(a + b + 1)).
 */

export const STYLE_FEATURES = ["length", "headers", "lists", "bold"] as const;
export type StyleFeature = (typeof STYLE_FEATURES)[number];

export const STYLE_FEATURE_DESCRIPTIONS: Readonly<Record<StyleFeature, string>> = {
  length: "response length in tokens",
  headers: "Markdown headers (# to ######)",
  lists: "Markdown list items (ordered and unordered)",
  bold: "bold spans (**…** and __…__)",
};

export type StyleCounts = Readonly<Record<StyleFeature, number>>;

const CODE_BLOCK = /```[^`]*```/g;
const TOKEN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;
const HEADER = /^#{1,6}\s/gm;
const LIST_ITEM = /^\s*(?:\d+\.|[-*+])\s/gm;
const BOLD = /\*\*[^*\n]+\*\*|__[^_\n]+__/g;

function matches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

export function styleCounts(text: string): StyleCounts {
  const prose = text.replace(CODE_BLOCK, "");
  return { length: matches(text, TOKEN), headers: matches(prose, HEADER), lists: matches(prose, LIST_ITEM), bold: matches(prose, BOLD) };
}
