/** A CSV cell, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return values.map(cell).join(",");
}

/** The column names on a CSV file's first record (quoted names and a byte-order mark handled). */
export function csvHeader(content: string): string[] {
  const text = content.replace(/^\uFEFF/, "");
  const names: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      names.push(current.trim());
      current = "";
    } else if (ch === "\n" || ch === "\r") break;
    else current += ch;
  }
  names.push(current.trim());
  return names.filter((n) => n !== "");
}

/** Hands the browser a file to save. */
export function saveFile(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
