import { randomBytes } from "node:crypto";
import { recordAudit } from "../evaluations/audit.ts";
import { EXPORT_FORMATS, type ExportFormat } from "../../contract/exports.ts";
import { writeJudgmentsCsv } from "../../connectors/exporters/csv.ts";
import { writeFastChatBattles } from "../../connectors/exporters/fastchat.ts";
import { writeHuggingFaceDataset } from "../../connectors/exporters/huggingface.ts";
import { writeJudgmentsJsonl } from "../../connectors/exporters/jsonl.ts";
import { pseudonymise, type ExportResult as WrittenExport, type JudgmentExportRow } from "../../connectors/exporters/rows.ts";
import type { Charter } from "../../core/charter.ts";
import { EXPORT_SCOPES, mayUse, type ExportScope } from "../../core/consent.ts";
import { contributorMarker } from "../../core/k-anonymity.ts";
import { AppError } from "../../core/errors.ts";
import { inTransaction, type Client } from "../../platform/db/pool.ts";
import { allCharters } from "../evaluations/queries.ts";
import { lockEvaluation, type EvaluationRow } from "../../platform/records.ts";
import { recordExport, type ExportRow } from "./queries.ts";
import {
  exportAudit,
  exportSource,
  exportsOfParticipant,
  findExport,
  findExportContributor,
  insertNotice,
  scopesByCharterVersion,
  setContributorPseudonyms,
  type ExportSourceRow,
} from "./queries.ts";
import { activeWithholding, releaseApproved } from "../governance/queries.ts";
import { nowOf, type Services } from "../../platform/context.ts";
import { requireEvaluation, requireParticipant, requireRole, type Actor, requireCharter } from "../../platform/guards.ts";
import { getEvaluation } from "../evaluations/service.ts";
import { polisExport, type CollectedExport } from "./polis-service.ts";
import { closeDueProposals } from "../governance/service.ts";

export interface ExportRequest {
  scope: ExportScope;
  recipient: string;
  purpose: string;
  format: ExportFormat;
  /** Hugging Face licence id for the dataset card (default `other`) */
  licence?: string | undefined;
}

/** Who asks for an export: an organiser through the API, or the operator at the command line. */
export type ExportRequester = { kind: "actor"; actor: Actor } | { kind: "operator"; name: string };

export interface ExportResult {
  record: ExportRow;
  files: { path: string; content: string }[];
}

/** Exclusion reason codes recorded in `exports.excluded`. */
export const EXCLUSION = {
  consentLacksScope: "consent_lacks_scope",
  scopeNotOfferedWhenContributed: "scope_not_offered_when_contributed",
} as const;

function validateRequest(request: ExportRequest): void {
  if (!EXPORT_SCOPES.includes(request.scope)) throw new AppError("validation_failed", `unknown export scope ${request.scope}`, "scope");
  if (!EXPORT_FORMATS.includes(request.format)) throw new AppError("validation_failed", `unknown export format ${request.format}`, "format");
  if (!request.recipient.trim()) throw new AppError("validation_failed", "name the recipient of the export", "recipient");
  if (!request.purpose.trim()) throw new AppError("validation_failed", "state the purpose of the export", "purpose");
}

/** Refuses (403 export_refused) while a withholding is active, or when the charter requires an approved release that is missing. */
async function assertExportAllowed(db: Client, evaluation: EvaluationRow, charter: Charter, request: ExportRequest): Promise<void> {
  if (!charter.scopes.includes(request.scope)) {
    throw new AppError("scope_not_offered", `the current charter does not offer the scope ${request.scope}`, "scope");
  }
  if (await activeWithholding(db, evaluation.id)) {
    throw new AppError("export_refused", "the participants have decided to withhold this evaluation's data: no export can be made", "evaluation");
  }
  if (charter.governance.releaseRequiresApproval && !(await releaseApproved(db, evaluation.id, request.scope, request.recipient))) {
    throw new AppError("export_refused", `the charter requires a passed release_data proposal for scope ${request.scope} and recipient ${request.recipient.trim()}`, "recipient");
  }
}

/** Why a contribution may not leave under this scope, or null when it may. Consent is read as it stands now. */
function exclusionOf(row: ExportSourceRow, request: ExportRequest, offered: ReadonlyMap<number, string[]>): string | null {
  if (!mayUse({ author: "participant" }, row.current_scopes, request.scope)) return EXCLUSION.consentLacksScope;
  if (!offered.get(row.charter_version)?.includes(request.scope)) return EXCLUSION.scopeNotOfferedWhenContributed;
  if (row.body.kind !== "pairwise" && FORMAT_KINDS[request.format] === "pairwise") return `${row.body.kind}_not_representable`;
  return null;
}

/** Which judgment kinds a format can carry; the rest are counted as `<kind>_not_representable`. */
const FORMAT_KINDS: Readonly<Record<ExportFormat, "all" | "pairwise">> = { jsonl: "all", csv: "all", huggingface: "all", fastchat: "pairwise", polis: "all" };

/** A participant-written item's text leaves only when its author's consent covers the scope (else it is withheld). */
function toWriterRow(row: ExportSourceRow, scope: ExportScope): JudgmentExportRow {
  return {
    participantId: row.participant_id,
    itemId: row.item_id,
    itemText: mayUse({ author: row.item_author }, row.item_author_scopes, scope) ? row.item_text : "",
    responses: row.responses,
    judgment: row.body,
    rationale: row.rationale,
    charterVersion: row.charter_version,
    createdAt: row.created_at,
  };
}

function write(format: ExportFormat, rows: JudgmentExportRow[], salt: string, card: Parameters<typeof writeHuggingFaceDataset>[1]["card"]): WrittenExport {
  switch (format) {
    case "jsonl":
      return writeJudgmentsJsonl(rows, { salt });
    case "csv":
      return writeJudgmentsCsv(rows, { salt });
    case "fastchat":
      return writeFastChatBattles(rows, { salt });
    case "huggingface":
      return writeHuggingFaceDataset(rows, { salt, card });
    case "polis":
      throw new AppError("format_unavailable", "the polis format carries statements, not judgments", "format");
  }
}

function countExclusions(reasons: readonly (string | null)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reason of reasons) if (reason) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

async function judgmentExport(db: Client, evaluation: EvaluationRow, request: ExportRequest, charter: Charter, salt: string, exportedAt: Date): Promise<CollectedExport> {
  const source = await exportSource(db, evaluation.id);
  const offered = await scopesByCharterVersion(db, evaluation.id);
  const reasons = source.map((row) => exclusionOf(row, request, offered));
  let included = source.filter((_, index) => reasons[index] === null);
  const excluded = countExclusions(reasons);
  if (request.scope === "publish" && contributorMarker(new Set(included.map((row) => row.participant_id)).size, charter.kAnonymity)) {
    // below k, nothing individual: a public dataset of fewer than k people is not published at all
    excluded.fewer_than_k_contributors = included.length;
    included = [];
  }
  const withheldTexts = included.filter((row) => row.item_text !== "" && !mayUse({ author: row.item_author }, row.item_author_scopes, request.scope)).length;
  if (withheldTexts > 0) excluded.item_text_withheld_by_author_consent = withheldTexts;
  const written = write(request.format, included.map((row) => toWriterRow(row, request.scope)), salt, {
    title: evaluation.title,
    evaluationId: evaluation.id,
    licence: request.licence ?? "other",
    scope: request.scope,
    recipient: request.recipient.trim(),
    purpose: request.purpose.trim(),
    exportedAt,
    excluded: Object.entries(excluded).map(([reason, count]) => ({ reason, count })),
    languages: charter.languages.filter((language) => /^[a-z]{2}$/.test(language)),
  });
  const contributors = new Map<string, number>();
  for (const row of included) contributors.set(row.participant_id, (contributors.get(row.participant_id) ?? 0) + 1);
  return { written, included: included.length, excluded, contributors };
}

/**
 * The only way data leaves Counterpublic. Each contribution is included only if its contributor's consent,
 * as it stands now, covers the scope AND the charter version it was made under offered that scope (a scope
 * added later by amendment never reaches back). Refused while a withholding is active or a required release
 * approval is missing. Participants are pseudonymised with a fresh salt per export; every export is audited.
 */
export async function exportEvaluation(s: Services, requester: ExportRequester, idOrSlug: string, request: ExportRequest): Promise<ExportResult> {
  validateRequest(request);
  const found = await requireEvaluation(s.pool, idOrSlug);
  if (requester.kind === "actor") await requireRole(s.pool, found.id, requester.actor, ["organiser"]);
  await closeDueProposals(s, found.id);
  return inTransaction(s.pool, async (db) => {
    const evaluation = (await lockEvaluation(db, found.id)) as EvaluationRow;
    const charter = await requireCharter(db, evaluation.id);
    await assertExportAllowed(db, evaluation, charter.content, request);
    const salt = randomBytes(24).toString("hex");
    const collected =
      request.format === "polis"
        ? await polisExport(db, evaluation.id, request.scope, await allCharters(db, evaluation.id), salt, charter.content.kAnonymity)
        : await judgmentExport(db, evaluation, request, charter.content, salt, nowOf(s));
    const { written, contributors } = collected;
    const record = await recordExport(
      db,
      {
        evaluation_id: evaluation.id,
        requested_by: requester.kind === "actor" ? requester.actor.userId : `operator:${requester.name}`,
        scope: request.scope,
        recipient: request.recipient.trim(),
        purpose: request.purpose.trim(),
        format: request.format,
        included_count: collected.included,
        excluded: collected.excluded,
        content_hash: written.contentHash,
        charter_version: charter.version,
      },
      contributors,
    );
    await setContributorPseudonyms(db, record.id, new Map([...contributors.keys()].map((id) => [id, pseudonymise(id, salt)])));
    const by = requester.kind === "actor" ? requester.actor : { operator: requester.name };
    await recordAudit(db, evaluation.id, by, "export.created", record.id, { format: request.format, scope: request.scope, included: collected.included });
    return { record, files: written.files.map((file) => ({ path: file.path, content: file.content })) };
  });
}

/** The public audit log: every export of the evaluation, who made it, when, for whom, why, how many rows, its hash. */
export async function exportLog(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation } = await getEvaluation(s, actor, idOrSlug);
  return (await exportAudit(s.pool, evaluation.id)).map((row) => ({
    id: row.id,
    at: row.created_at,
    requestedBy: row.requested_by_name,
    scope: row.scope,
    recipient: row.recipient,
    purpose: row.purpose,
    format: row.format,
    included: row.included_count,
    contributors: row.contributors,
    excluded: row.excluded,
    contentHash: row.content_hash,
    charterVersion: row.charter_version,
  }));
}

/**
 * Where did my data go: every export that included the caller's contributions. When the caller revoked the
 * export's scope afterwards, the recipient is owed a notice; it shows as given once an organiser records it.
 */
export async function myExports(s: Services, actor: Actor, idOrSlug: string) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  const participant = await requireParticipant(s.pool, evaluation.id, actor);
  return (await exportsOfParticipant(s.pool, participant.id)).map((row) => ({
    id: row.id,
    at: row.created_at,
    scope: row.scope,
    recipient: row.recipient,
    purpose: row.purpose,
    format: row.format,
    contributions: row.contributions,
    pseudonym: row.pseudonym,
    notice:
      row.revoked_at === null
        ? { owed: false as const }
        : { owed: true as const, revokedAt: row.revoked_at, given: row.noticed_at !== null, givenAt: row.noticed_at, note: row.notice_note },
  }));
}

/** An organiser records that the recipient of an export was told of a revocation: for one contributor (by the export's pseudonym) or all. */
export async function recordExportNotice(s: Services, actor: Actor, idOrSlug: string, exportId: string, input: { participant: string; note?: string | undefined }) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    await requireRole(db, evaluation.id, actor, ["organiser"]);
    if (!(await findExport(db, evaluation.id, exportId))) throw new AppError("not_found", "no such export of this evaluation", "exportId");
    let participantId: string | null = null;
    if (input.participant !== "all") {
      participantId = (await findExportContributor(db, exportId, input.participant)) ?? null;
      if (!participantId) throw new AppError("not_found", `no contributor with the pseudonym ${input.participant} in this export`, "participant");
    }
    const notice = await insertNotice(db, { exportId, participantId, note: input.note?.trim() ?? "", recordedBy: actor.userId });
    await recordAudit(db, evaluation.id, actor, "export.notice_recorded", exportId, { participant: input.participant });
    return { id: notice.id, exportId: notice.export_id, participant: input.participant, note: notice.note, noticedAt: notice.noticed_at };
  });
}
