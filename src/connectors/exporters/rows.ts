/**
 * What every exporter shares: the row an export is given (already filtered by consent, withholding and
 * governance in the export service), the pseudonymised record it writes, and the result shape.
 *
 * Participant ids never leave raw: every writer takes the export's salt and writes
 * `pseudonymise(participantId, salt)`. A fresh random salt per export makes two exports unlinkable by id.
 */
import { createHash, createHmac } from "node:crypto";
import type { JudgmentBody } from "../../core/judgment.ts";

export interface ExportResponse {
  readonly responseId: string;
  readonly subjectId: string;
  /** the subject's public name (e.g. a model name); FastChat uses it as model_a / model_b */
  readonly subjectName: string;
  readonly text: string;
}

/** One judgment as the export service hands it over: consent-filtered, raw participant id. */
export interface JudgmentExportRow {
  readonly participantId: string;
  readonly itemId: string;
  readonly itemText: string;
  /** pairwise: exactly [A, B]; rating: the rated response; ranking: the responses ranked */
  readonly responses: readonly ExportResponse[];
  readonly judgment: JudgmentBody;
  readonly rationale: string | null;
  readonly charterVersion: number;
  readonly createdAt: Date;
  /** BCP 47 tag of the item's language, when known */
  readonly language?: string;
}

/** The record written to JSONL / Hugging Face (snake_case, pseudonymous). */
export interface ExportedJudgment {
  readonly participant_id: string;
  readonly item_id: string;
  readonly item_text: string;
  readonly responses: { readonly response_id: string; readonly subject_id: string; readonly subject_name: string; readonly text: string }[];
  readonly judgment: JudgmentBody;
  readonly rationale: string | null;
  readonly charter_version: number;
  readonly created_at: string;
}

export interface ExportFile {
  readonly path: string;
  readonly content: string;
}

export interface ExclusionCount {
  /** a stable code, e.g. `consent_not_granted`, `abstention_not_representable` */
  readonly reason: string;
  readonly count: number;
}

export interface ExportResult {
  readonly files: ExportFile[];
  /** hex SHA-256 over the files, see `contentHash` */
  readonly contentHash: string;
  /** rows the format itself could not carry (the service's consent exclusions are not repeated here) */
  readonly excluded: ExclusionCount[];
}

export interface WriterOptions {
  /** per-export secret, at least 16 characters; never published */
  readonly salt: string;
}

const MIN_SALT_LENGTH = 16;

/** A stable pseudonym for one export: "p_" + the first 128 bits of HMAC-SHA256(salt, participantId), hex. */
export function pseudonymise(participantId: string, salt: string): string {
  if (salt.length < MIN_SALT_LENGTH) throw new RangeError(`salt must be at least ${MIN_SALT_LENGTH} characters`);
  return `p_${createHmac("sha256", salt).update(participantId, "utf8").digest("hex").slice(0, 32)}`;
}

export function toExportedJudgment(row: JudgmentExportRow, salt: string): ExportedJudgment {
  return {
    participant_id: pseudonymise(row.participantId, salt),
    item_id: row.itemId,
    item_text: row.itemText,
    responses: row.responses.map((r) => ({ response_id: r.responseId, subject_id: r.subjectId, subject_name: r.subjectName, text: r.text })),
    judgment: row.judgment,
    rationale: row.rationale,
    charter_version: row.charterVersion,
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * SHA-256 over the files sorted by path; each file contributes
 * `<path> NUL <utf-8 byte length> NUL <content>`, so no two different file sets share a hash input.
 */
export function contentHash(files: readonly ExportFile[]): string {
  const hash = createHash("sha256");
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    hash.update(file.path, "utf8").update("\0").update(String(Buffer.byteLength(file.content, "utf8"))).update("\0").update(file.content, "utf8");
  }
  return hash.digest("hex");
}

export function result(files: ExportFile[], excluded: ExclusionCount[] = []): ExportResult {
  return { files, contentHash: contentHash(files), excluded };
}

/** Counts rows by an exclusion reason code, in first-seen order. */
export function countReasons(reasons: readonly string[]): ExclusionCount[] {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, count]) => ({ reason, count }));
}

/** JSON Lines: one JSON value per line, "\n" after each (an empty export is an empty file). */
export function toJsonLines(values: readonly unknown[]): string {
  return values.map((value) => `${JSON.stringify(value)}\n`).join("");
}
