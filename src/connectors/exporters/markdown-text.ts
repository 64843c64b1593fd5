/** Small, safe Markdown building blocks for the evaluation card. */

/** Free text on one line with Markdown's active characters escaped (headings, links, tables, HTML). */
export function inline(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\`*_[\]<>|#]/g, (char) => `\\${char}`);
}

/** Text shown exactly as written: a fenced block whose fence is longer than any backtick run inside. */
export function verbatim(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${text}\n${fence}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return "_none_";
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function bullets(items: readonly string[]): string {
  return items.length === 0 ? "_none_" : items.map((item) => `- ${item}`).join("\n");
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/** Minor units as a decimal amount in the currency's own minor digits, e.g. 1234 USD → "12.34 USD". */
export function money(minor: number, currency: string): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    digits = 2;
  }
  return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
}

export function section(title: string, ...blocks: string[]): string {
  return [`## ${title}`, ...blocks.filter((block) => block.length > 0)].join("\n\n");
}
