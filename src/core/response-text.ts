/**
 * What a model's output looks like to a reader: end-of-text tokens a generation left behind ("</s>",
 * "<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<eos>") are control symbols, not words. They are removed at
 * import from the end of the text (repeated, with surrounding white space); the original is kept for export.
 */
const END_TOKEN = /(?:\s*(?:<\/s>|<\|endoftext\|>|<\|im_end\|>|<\|eot_id\|>|<\|end\|>|<eos>|<\|end_of_text\|>))+\s*$/;

export function stripEndTokens(text: string): { text: string; original: string | null } {
  const cleaned = text.replace(END_TOKEN, "");
  return cleaned === text ? { text, original: null } : { text: cleaned, original: text };
}

const MAX_TITLE = 60;

/**
 * A readable title for an item from its prompt, for sources that only give a slug ("bug-task"): the first line
 * with Markdown marks removed, cut at a word before 60 characters.
 */
export function titleFromPrompt(prompt: string): string {
  const line = prompt
    .split("\n")
    .map((l) => l.replace(/^[#>\-*\s`]+/, "").replace(/[*_`]/g, "").trim())
    .find((l) => l.length > 0) ?? "";
  if (line.length <= MAX_TITLE) return line;
  const cut = line.slice(0, MAX_TITLE);
  const space = cut.lastIndexOf(" ");
  return `${(space > 20 ? cut.slice(0, space) : cut).replace(/[,;:.\s]+$/, "")}…`;
}
