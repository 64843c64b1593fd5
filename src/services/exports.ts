import { createHmac, randomBytes } from "node:crypto";
import { EXPORT_SCOPES, type ExportScope } from "../domain/consent.ts";
import { DomainError } from "../domain/errors.ts";
import { inTransaction } from "../store/db.ts";
import { latestCharter } from "../store/evaluations.ts";
import { recordExport, type ExportRow } from "../store/exports.ts";
import { judgmentsForExport, type ExportableJudgment } from "../store/judgments.ts";
import { requireEvaluation, requireRole, sha256, type Actor, type Services } from "./context.ts";

export const EXPORT_FORMATS = ["jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  scope: ExportScope;
  recipient: string;
  purpose: string;
  format: ExportFormat;
}

/** Who asks for an export: an organiser through the API, or the operator at the command line. */
export type ExportRequester = { kind: "actor"; actor: Actor } | { kind: "operator"; name: string };

export interface ExportResult {
  record: ExportRow;
  files: { path: string; content: string }[];
}

/**
 * The only way data leaves Counterpublic. Each contribution is included only if its contributor's
 * consent, as it stands now, covers the scope; participants are pseudonymised with a salt of this export.
 */
export async function exportEvaluation(s: Services, requester: ExportRequester, idOrSlug: string, request: ExportRequest): Promise<ExportResult> {
  if (!EXPORT_SCOPES.includes(request.scope)) throw new DomainError("validation_failed", `unknown export scope ${request.scope}`, "scope");
  if (!request.recipient.trim()) throw new DomainError("validation_failed", "name the recipient of the export", "recipient");
  if (!request.purpose.trim()) throw new DomainError("validation_failed", "state the purpose of the export", "purpose");
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    if (requester.kind === "actor") await requireRole(db, evaluation.id, requester.actor, ["organiser"]);
    const charter = await latestCharter(db, evaluation.id);
    const rows = await judgmentsForExport(db, evaluation.id);
    const included = rows.filter((row) => row.current_scopes?.includes(request.scope));
    const excluded = { consent_lacks_scope: rows.length - included.length };
    const salt = randomBytes(16).toString("hex");
    const content = included.map((row) => JSON.stringify(exportLine(row, salt))).join("\n") + (included.length ? "\n" : "");
    const contributors = new Map<string, number>();
    for (const row of included) contributors.set(row.participant_id, (contributors.get(row.participant_id) ?? 0) + 1);
    const record = await recordExport(
      db,
      {
        evaluation_id: evaluation.id,
        requested_by: requester.kind === "actor" ? requester.actor.userId : `operator:${requester.name}`,
        scope: request.scope,
        recipient: request.recipient,
        purpose: request.purpose,
        format: request.format,
        included_count: included.length,
        excluded,
        content_hash: sha256(content),
        charter_version: charter?.version ?? 1,
      },
      contributors,
    );
    return { record, files: [{ path: "judgments.jsonl", content }] };
  });
}

function pseudonymise(participantId: string, salt: string): string {
  return createHmac("sha256", salt).update(participantId).digest("hex").slice(0, 16);
}

function exportLine(row: ExportableJudgment, salt: string) {
  return {
    id: row.id,
    participant: pseudonymise(row.participant_id, salt),
    item: row.item_id,
    kind: row.kind,
    judgment: row.body,
    subject_a: row.subject_a,
    subject_b: row.subject_b,
    responses: row.response_ids,
    rationale: row.rationale,
    phase: row.phase,
    charter_version: row.charter_version,
    created_at: row.created_at,
  };
}
