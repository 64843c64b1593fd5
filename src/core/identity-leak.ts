/**
 * Does a response name the system that wrote it, or its maker? In a blind comparison such a response
 * reveals who is who, so the judgment it gets is not blind (Chatbot Arena discards those votes).
 *
 * What is looked for: the subject's name (without size tags such as "(13B)"), its first distinctive
 * word ("Vicuna" for "Vicuna v1.3 (13B)"), its organisation, the caller's aliases, and the known names
 * of the subject's family (for an OpenAI model: OpenAI, ChatGPT, GPT; Anthropic: Anthropic, Claude; …).
 * Only the subject's own identity counts: "Google" in a GPT answer is not a leak for GPT.
 *
 * Matching: case-insensitive, on word boundaries, and model names are normalised across separators
 * and letter/digit joins, so "gpt-4o", "GPT 4o" and "GPT4o" are one name.
 *
 * Names that are ordinary English words (Meta, Together, PaLM, Llama, Falcon, Command, Gemini, …)
 * would flag "meta-analysis", "adds them together" or "palm leaves". For those the choice is: match
 * only when capitalised (or in the identity's own spelling such as "LLaMA", "PaLM"), not at the start
 * of a sentence, and not as the first half of a hyphenated compound. Consequences, accepted: "llama"
 * the animal in lower case is never flagged; "a Llama" capitalised mid-sentence is flagged, but only
 * when the subject is a Llama model; "Meta released …" at a sentence start is missed.
 */

export interface SubjectIdentity {
  readonly subjectName: string;
  readonly organisation: string;
  readonly aliases?: readonly string[];
}

export interface IdentityLeak {
  readonly leaked: boolean;
  /** the offending spans as written in the text, in order of appearance, without repeats */
  readonly matches: string[];
}

/** Known names of a family: who made it and what its models and products are called. */
const FAMILIES: readonly { readonly when: RegExp; readonly names: readonly string[] }[] = [
  { when: /openai|\bgpt|chatgpt|\bo[134]\b|davinci/i, names: ["OpenAI", "ChatGPT", "GPT"] },
  { when: /anthropic|claude/i, names: ["Anthropic", "Claude"] },
  { when: /\bmeta\b|llama/i, names: ["Meta AI", "Meta", "LLaMA"] },
  { when: /google|deepmind|gemini|gemma|palm|bard|bison/i, names: ["Google", "DeepMind", "Gemini", "Gemma", "Bard", "PaLM"] },
  { when: /mistral|mixtral/i, names: ["Mistral AI", "Mistral", "Mixtral"] },
  { when: /cohere|\bcommand\b/i, names: ["Cohere", "Command R"] },
  { when: /qwen|alibaba/i, names: ["Qwen", "Alibaba", "Tongyi"] },
  { when: /deepseek/i, names: ["DeepSeek"] },
  { when: /\bxai\b|grok/i, names: ["xAI", "Grok"] },
  { when: /\btii\b|falcon/i, names: ["TII", "Falcon"] },
  { when: /lm ?sys|vicuna/i, names: ["LMSYS", "Vicuna"] },
  { when: /databricks|dolly|dbrx/i, names: ["Databricks", "Dolly", "DBRX"] },
  { when: /aleph alpha|luminous/i, names: ["Aleph Alpha", "Luminous"] },
  { when: /ai21|jurassic|jamba/i, names: ["AI21", "Jurassic", "Jamba"] },
  { when: /microsoft|\bphi\b/i, names: ["Microsoft", "Phi"] },
];

/** Names that are also ordinary words: matched capitalised, mid-sentence, never as a compound's first half. */
const COMMON_WORDS = new Set([
  "meta", "together", "palm", "llama", "falcon", "command", "gemini", "mistral", "bard", "koala", "alpaca", "dolly",
  "orca", "phi", "hermes", "vicuna", "guanaco", "platypus", "weaver", "luminous", "jurassic", "pythia", "mosaic",
  "bison", "chronos", "grok", "code", "chat", "open", "base", "light", "instruct", "turbo", "google",
]);

/** Words that never identify anything on their own. */
const GENERIC_WORDS = new Set(["code", "chat", "open", "base", "light", "mid", "ultra", "instruct", "turbo", "the", "model", "ai", "v1", "v2"]);

const LETTER_OR_DIGIT = "\\p{L}\\p{N}";

export function detectIdentityLeak(text: string, identity: SubjectIdentity): IdentityLeak {
  return identityLeakDetector(identity)(text);
}

/** The same check with the subject's patterns built once, for many responses of one subject (imports). */
export function identityLeakDetector(identity: SubjectIdentity): (text: string) => IdentityLeak {
  const patterns = identityPatterns(identity);
  return (text) => leaksIn(text, patterns);
}

function leaksIn(text: string, patterns: readonly RegExp[]): IdentityLeak {
  const found: { index: number; text: string }[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) found.push({ index: match.index, text: match[0] });
  }
  found.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const matches: string[] = [];
  let coveredUntil = -1;
  for (const hit of found) {
    if (hit.index < coveredUntil) continue; // inside a longer hit already reported
    coveredUntil = hit.index + hit.text.length;
    if (!matches.includes(hit.text)) matches.push(hit.text);
  }
  return { leaked: matches.length > 0, matches };
}

/** Every name to look for, deduplicated by normalised form. */
export function identityNames(identity: SubjectIdentity): string[] {
  const baseName = identity.subjectName.replace(/\([^)]*\)/g, " ").trim();
  const firstWord = baseName.split(/[\s_-]+/)[0] ?? "";
  const candidates = [baseName, identity.organisation, ...(identity.aliases ?? [])];
  if (firstWord.length >= 3 && !GENERIC_WORDS.has(firstWord.toLowerCase())) candidates.push(firstWord);
  const both = `${identity.subjectName} ${identity.organisation}`;
  for (const family of FAMILIES) if (family.when.test(both)) candidates.push(...family.names);
  const byKey = new Map<string, string>();
  for (const name of candidates) {
    const key = nameTokens(name).join(" ");
    if (key && !GENERIC_WORDS.has(key) && !byKey.has(key)) byKey.set(key, name.trim());
  }
  return [...byKey.values()];
}

/**
 * "GPT-4o" → ["gpt", "4", "o"]: alphanumeric runs, split where letters meet digits and where a word
 * meets an acronym ("OpenAI" → ["open", "ai"], so "Open AI" matches; "LLaMA" stays one token).
 */
export function nameTokens(name: string): string[] {
  const spaced = name.replace(/(\p{Ll}{2,})(\p{Lu}{2,})/gu, "$1 $2");
  return spaced.toLowerCase().match(/\p{L}+|\p{N}+/gu) ?? [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function identityPatterns(identity: SubjectIdentity): RegExp[] {
  return identityNames(identity).flatMap((name) => {
    const tokens = nameTokens(name);
    const isCommonWord = tokens.length === 1 && COMMON_WORDS.has(tokens[0] ?? "");
    return isCommonWord ? commonWordPatterns(name) : [separatorTolerantPattern(tokens)];
  });
}

/** Tokens joined by at most two separators (space, dot, dash, underscore) or none, on word boundaries. */
function separatorTolerantPattern(tokens: readonly string[]): RegExp {
  const body = tokens.map(escapeRegExp).join("[\\s._-]{0,2}");
  return new RegExp(`(?<![${LETTER_OR_DIGIT}])${body}(?![${LETTER_OR_DIGIT}])`, "giu");
}

/**
 * A common word counts in its distinctive spellings ("LLaMA", "PaLM", all capitals) anywhere, and in
 * Title case only mid-sentence; never followed by "-word" (a compound such as "Meta-analysis").
 */
function commonWordPatterns(name: string): RegExp[] {
  const word = name.trim();
  const title = word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
  const notCompound = `(?![${LETTER_OR_DIGIT}])(?!-\\p{L})`;
  const distinctive = [...new Set([word, word.toUpperCase()])].filter((spelling) => spelling !== title && spelling !== title.toLowerCase());
  const patterns = distinctive.map((spelling) => new RegExp(`(?<![${LETTER_OR_DIGIT}])${escapeRegExp(spelling)}${notCompound}`, "gu"));
  const sentenceStart = "(?<!(?:^|[.!?:;]|\\n)[\\s\"'“(*#>-]*)";
  patterns.push(new RegExp(`(?<![${LETTER_OR_DIGIT}])${sentenceStart}${escapeRegExp(title)}${notCompound}`, "gu"));
  return patterns;
}

/**
 * What a stored response records about a leak: the spans that name its own subject, or null. Every path
 * that stores a response (organiser, import, live battle) records it, so a vote on it is set aside.
 */
export function identityLeakOf(text: string, subject: { name: string; organisation: string | null }): string[] | null {
  const leak = detectIdentityLeak(text, { subjectName: subject.name, organisation: subject.organisation ?? "" });
  return leak.leaked ? leak.matches : null;
}
