import { AppError } from "../../core/errors.ts";
import { recordAudit } from "../evaluations/audit.ts";
import type { SubjectKind } from "../../core/evaluation.ts";
import { ensureImportedParticipants, ensureSubjectsBulk, insertPairwiseBulk, insertResponsesBulk, upsertItemsBulk, type BulkPairwise, type BulkResponse } from "./queries.ts";
import { identityLeakDetector } from "../../core/identity-leak.ts";
import { insertJudgment } from "../judging/queries.ts";
import { inTransaction, type Client } from "../../platform/db/pool.ts";
import { latestCharter } from "../../platform/records.ts";
import type { ImportBatch } from "../../connectors/importers/batch.ts";
import { batchFromText, type ImportFormat } from "../../connectors/importers/index.ts";
import { type Services } from "../../platform/context.ts";
import { requireEvaluation, requireRole, type Actor } from "../../platform/guards.ts";

export interface ImportSummary {
  items: number;
  subjects: number;
  responses: number;
  participants: number;
  judgments: number;
}

/** Imports a batch in one transaction: all of it or nothing. Existing items, subjects and responses are reused. */
export async function importBatch(s: Services, idOrSlug: string, batch: ImportBatch): Promise<ImportSummary> {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const charter = await latestCharter(db, evaluation.id);
    const version = charter?.version ?? 1;
    const itemIds = await upsertItemsBulk(db, evaluation.id, batch.items ?? []);
    const subjects = await ensureSubjects(db, evaluation.id, batch);
    const subjectIds = new Map([...subjects].map(([name, s]) => [name, s.id]));
    // A response that names its own subject or maker is kept, marked: judgments that show it are not blind.
    const detectors = new Map([...subjects].map(([name, s]) => [name, identityLeakDetector({ subjectName: name, organisation: s.organisation ?? "" })]));
    const pending = (batch.responses ?? []).map((r) => ({
      itemId: requireRef(itemIds, r.itemRef, "item"),
      subjectId: requireRef(subjectIds, r.subject, "subject"),
      subject: r.subject,
      text: r.text,
      meta: r.meta ?? {},
    }));
    // The leak check runs chunk by chunk, while PostgreSQL stores the previous chunk.
    const stored = await insertResponsesBulk(db, evaluation.id, pending, ({ subject, ...r }): BulkResponse => {
      const leak = detectors.get(subject)?.(r.text);
      return { ...r, identityLeak: leak?.leaked ? leak.matches : null };
    });
    const responseIds = new Map<string, string>();
    for (const r of batch.responses ?? []) {
      const id = stored.get(`${requireRef(itemIds, r.itemRef, "item")}|${requireRef(subjectIds, r.subject, "subject")}`);
      if (id) responseIds.set(`${r.itemRef}|${r.subject}`, id);
    }
    const participantIds = await ensureParticipants(db, evaluation.id, version, batch);
    const rows: BulkPairwise[] = (batch.pairwise ?? []).map((p) => {
      const a = responseIds.get(`${p.itemRef}|${p.subjectA}`);
      const b = responseIds.get(`${p.itemRef}|${p.subjectB}`);
      return {
        participantId: participantIds.get(p.participant) as string,
        itemId: p.itemRef === null ? null : itemIds.get(p.itemRef) ?? null,
        subjectA: requireRef(subjectIds, p.subjectA, "subject"),
        subjectB: requireRef(subjectIds, p.subjectB, "subject"),
        responseIds: a && b ? [a, b] : [],
        outcome: p.outcome,
      };
    });
    let judgments = await insertPairwiseBulk(db, evaluation.id, version, batch.consentScopes, rows);
    for (const ranking of batch.rankings ?? []) {
      const order = ranking.order.map((group) => group.map((subject) => requireRef(responseIds, `${ranking.itemRef}|${subject}`, "response")));
      await insertJudgment(db, {
        evaluationId: evaluation.id,
        participantId: participantIds.get(ranking.participant) as string,
        itemId: requireRef(itemIds, ranking.itemRef, "item"),
        assignmentToken: null,
        body: { kind: "ranking", order },
        responseIds: order.flat(),
        phase: "judge",
        charterVersion: version,
        consentScopes: batch.consentScopes,
      });
      judgments += 1;
    }
    return { items: itemIds.size, subjects: subjectIds.size, responses: responseIds.size, participants: participantIds.size, judgments };
  });
}

function requireRef(map: ReadonlyMap<string, string>, key: string, what: string): string {
  const id = map.get(key);
  if (!id) throw new AppError("validation_failed", `the import refers to an unknown ${what} ${key}`, what);
  return id;
}

async function ensureSubjects(db: Client, evaluationId: string, batch: ImportBatch): Promise<Map<string, { id: string; organisation: string | null }>> {
  const wanted = new Map<string, { kind: SubjectKind; organisation: string | null }>();
  for (const subject of batch.subjects ?? []) wanted.set(subject.name, { kind: subject.kind ?? "model", organisation: subject.organisation ?? null });
  for (const p of batch.pairwise ?? []) {
    for (const name of [p.subjectA, p.subjectB]) if (!wanted.has(name)) wanted.set(name, { kind: "model", organisation: null });
  }
  return ensureSubjectsBulk(db, evaluationId, [...wanted].map(([name, info]) => ({ name, ...info })));
}

async function ensureParticipants(db: Client, evaluationId: string, charterVersion: number, batch: ImportBatch): Promise<Map<string, string>> {
  const names = [...new Set([...(batch.pairwise ?? []), ...(batch.rankings ?? [])].map((p) => p.participant))];
  return ensureImportedParticipants(db, evaluationId, charterVersion, names.map((name) => ({ pseudonym: name, externalRef: name })), batch.consentScopes);
}

/** An organiser's upload: parsed in the named format, then imported in one transaction. */
export async function importUpload(s: Services, actor: Actor, idOrSlug: string, format: ImportFormat, content: string, source?: string): Promise<ImportSummary> {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  await requireRole(s.pool, evaluation.id, actor, ["organiser"]);
  const summary = await importBatch(s, evaluation.id, batchFromText(format, content, source));
  await recordAudit(s.pool, evaluation.id, actor, "import.judgments", null, { format, fileName: source?.slice(0, 300) ?? null, ...summary });
  return summary;
}
