/** Exports: the data release record, the files made, and what each contributor sees of exports of their work. */
import { z } from "zod";
import { timestamp } from "./common.ts";

/** jsonl, csv, huggingface and fastchat carry judgments; polis carries statements and statement votes. */
export const EXPORT_FORMATS = ["jsonl", "csv", "huggingface", "fastchat", "polis"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The file formats POST /api/evaluations/:id/imports reads (connectors/importers parses each). */
export const IMPORT_FORMATS = ["fastchat", "llmfao", "oasst", "outputs-jsonl", "outputs-csv"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const exportRecord = z.object({
  id: z.string(),
  evaluationId: z.string(),
  requestedBy: z.string().nullable(),
  scope: z.string(),
  recipient: z.string(),
  purpose: z.string(),
  format: z.string(),
  includedCount: z.number(),
  excluded: z.record(z.string(), z.number()),
  contentHash: z.string(),
  charterVersion: z.number(),
  createdAt: timestamp,
});
export const exportResult = z.object({ record: exportRecord, files: z.array(z.object({ path: z.string(), content: z.string() })) });

export const exportList = z.object({
  exports: z.array(
    z.object({
      id: z.string(),
      at: timestamp,
      requestedBy: z.string(),
      scope: z.string(),
      recipient: z.string(),
      purpose: z.string(),
      format: z.string(),
      included: z.number(),
      contributors: z.number(),
      excluded: z.record(z.string(), z.number()),
      contentHash: z.string(),
      charterVersion: z.number(),
    }),
  ),
});

/** Whether a contributor who revoked consent is owed notice that an earlier export still holds their work. */
export const exportNoticeState = z.discriminatedUnion("owed", [
  z.object({ owed: z.literal(false) }),
  z.object({ owed: z.literal(true), revokedAt: timestamp, given: z.boolean(), givenAt: timestamp.nullable(), note: z.string().nullable() }),
]);
export const myExports = z.object({
  exports: z.array(
    z.object({
      id: z.string(),
      at: timestamp,
      scope: z.string(),
      recipient: z.string(),
      purpose: z.string(),
      format: z.string(),
      contributions: z.number(),
      pseudonym: z.string().nullable(),
      notice: exportNoticeState,
    }),
  ),
});
export const exportNotice = z.object({
  notice: z.object({ id: z.string(), exportId: z.string(), participant: z.string(), note: z.string(), noticedAt: timestamp }),
});

/** What an import added. */
/** What an upload does (or, on a dry run, would do): each item value matched or new, subjects known or new, responses added or already there. */
export const importPreview = z.object({
  items: z.array(z.object({ ref: z.string(), match: z.enum(["external_ref", "id", "title", "new"]), itemId: z.string().nullable(), title: z.string() })),
  subjects: z.array(z.object({ name: z.string(), exists: z.boolean() })),
  responses: z.object({ added: z.number(), alreadyAnswered: z.number() }),
});
export const importSummary = z.object({ items: z.number(), subjects: z.number(), responses: z.number(), participants: z.number(), judgments: z.number(), preview: importPreview.optional() });
