/**
 * Hugging Face dataset folder: `data/train.jsonl` + `README.md` (dataset card). The card's YAML front
 * matter carries the Hub's fields (`license`, `configs` so `datasets.load_dataset` finds the split) and a
 * `counterpublic` block stating what the data may be used for, by whom, under which charter version(s),
 * and how many contributions were left out and why.
 */
import { stringify as toYaml } from "yaml";
import type { ExportScope } from "../../core/consent.ts";
import { SCOPE_EXPLANATIONS } from "../../core/consent.ts";
import { result, toExportedJudgment, toJsonLines, type ExclusionCount, type ExportResult, type JudgmentExportRow, type WriterOptions } from "./rows.ts";

const HF_DATA_PATH = "data/train.jsonl";
const HF_CARD_PATH = "README.md";

export interface DatasetCardInfo {
  readonly title: string;
  readonly evaluationId: string;
  /** Hub licence id, e.g. `cc-by-4.0`, `cc-by-nc-4.0`, `other` */
  readonly licence: string;
  readonly scope: ExportScope;
  readonly recipient: string;
  readonly purpose: string;
  readonly exportedAt: Date;
  /** contributions the export service left out (consent, revocation, withholding …), by reason */
  readonly excluded: readonly ExclusionCount[];
  /** ISO 639-1 codes of the items' languages */
  readonly languages?: readonly string[];
}

export interface HuggingFaceOptions extends WriterOptions {
  readonly card: DatasetCardInfo;
}

/** The Hub's size bucket for a row count. */
function sizeCategory(rows: number): string {
  const buckets: [number, string][] = [
    [1_000, "n<1K"],
    [10_000, "1K<n<10K"],
    [100_000, "10K<n<100K"],
    [1_000_000, "100K<n<1M"],
    [10_000_000, "1M<n<10M"],
  ];
  for (const [limit, label] of buckets) if (rows < limit) return label;
  return "10M<n<100M";
}

function frontMatter(info: DatasetCardInfo, rows: number, charterVersions: number[]): Record<string, unknown> {
  return {
    license: info.licence,
    pretty_name: info.title,
    ...(info.languages && info.languages.length > 0 ? { language: [...info.languages] } : {}),
    tags: ["counterpublic", "human-feedback", "democratic-evaluation"],
    size_categories: [sizeCategory(rows)],
    configs: [{ config_name: "default", data_files: [{ split: "train", path: HF_DATA_PATH }] }],
    counterpublic: {
      evaluation_id: info.evaluationId,
      scope: info.scope,
      charter_versions: charterVersions,
      recipient: info.recipient,
      purpose: info.purpose,
      exported_at: info.exportedAt.toISOString(),
      rows,
      excluded: info.excluded.map((e) => ({ reason: e.reason, count: e.count })),
    },
  };
}

function exclusionTable(excluded: readonly ExclusionCount[]): string {
  if (excluded.length === 0) return "No contribution was left out.";
  return ["| reason | contributions |", "|---|---|", ...excluded.map((e) => `| \`${e.reason}\` | ${e.count} |`)].join("\n");
}

/** Free text on one Markdown line (the YAML front matter keeps the exact text). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function cardBody(info: DatasetCardInfo, rows: number, charterVersions: number[]): string {
  return `# ${oneLine(info.title)}

Judgments from the Counterpublic evaluation \`${info.evaluationId}\`, exported on ${info.exportedAt.toISOString()}.

## Use of this data

- **Scope:** \`${info.scope}\`: ${SCOPE_EXPLANATIONS[info.scope]}
- **Recipient:** ${oneLine(info.recipient)}
- **Purpose:** ${oneLine(info.purpose)}
- **Licence:** \`${info.licence}\`
- **Charter version(s):** ${charterVersions.join(", ") || "none"}

Every contribution here was given with consent to this scope under the charter version recorded in its
\`charter_version\` field. Contributors may revoke consent; later exports will leave their data out.

## Contents

${rows} judgments in \`${HF_DATA_PATH}\` (JSON Lines). Fields: \`participant_id\` (a pseudonym valid for
this export only), \`item_id\`, \`item_text\`, \`responses\`, \`judgment\` (a tagged union on \`kind\`:
\`pairwise\`, \`rating\`, \`ranking\`, \`abstention\`, \`contest\`), \`rationale\`, \`charter_version\`,
\`created_at\`. Abstentions and contests are results, not noise: keep them.

## Left out, and why

${exclusionTable(info.excluded)}

## Loading

\`\`\`python
from datasets import load_dataset
ds = load_dataset("path/to/this/folder")  # split "train"
\`\`\`
`;
}

export function writeHuggingFaceDataset(rows: readonly JudgmentExportRow[], options: HuggingFaceOptions): ExportResult {
  const records = rows.map((row) => toExportedJudgment(row, options.salt));
  const charterVersions = [...new Set(rows.map((row) => row.charterVersion))].sort((a, b) => a - b);
  const readme = `---\n${toYaml(frontMatter(options.card, records.length, charterVersions))}---\n\n${cardBody(options.card, records.length, charterVersions)}`;
  return result([
    { path: HF_DATA_PATH, content: toJsonLines(records) },
    { path: HF_CARD_PATH, content: readme },
  ]);
}
