/** Export rows as the API answers them: camelCase. */
import type { z } from "zod";
import type * as api from "../../contract/exports.ts";
import type { ExportRow } from "./queries.ts";

export function presentExportRecord(row: ExportRow): z.input<typeof api.exportRecord> {
  return {
    id: row.id,
    evaluationId: row.evaluation_id,
    requestedBy: row.requested_by,
    scope: row.scope,
    recipient: row.recipient,
    purpose: row.purpose,
    format: row.format,
    includedCount: row.included_count,
    excluded: row.excluded,
    contentHash: row.content_hash,
    charterVersion: row.charter_version,
    createdAt: row.created_at,
  };
}
