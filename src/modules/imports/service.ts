import { stripEndTokens } from "../../core/response-text.ts";
import { AppError } from "../../core/errors.ts";
import { recordAudit } from "../evaluations/audit.ts";
import type { SubjectKind } from "../../core/evaluation.ts";
import { ensureImportedParticipants, ensureSubjectsBulk, insertPairwiseBulk, insertResponsesBulk, upsertItemsBulk, type BulkPairwise, type BulkResponse } from "./queries.ts";
import { identityLeakDetector } from "../../core/identity-leak.ts";
import { insertJudgment } from "../judging/queries.ts";
import { inTransaction, type Client } from "../../platform/db/pool.ts";
import { latestCharter } from "../../platform/records.ts";
import type { ImportBatch } from "../../connectors/importers/batch.ts";
import { batchFromText, type ImportFormat, type OutputColumns } from "../../connectors/importers/index.ts";
import { itemMatcher } from "../../core/item-ref.ts";
import { nulFieldIn } from "../../core/nul-text.ts";
import { listItems } from "../evaluations/item-queries.ts";
import { listSubjects } from "../evaluations/subject-queries.ts";
import { type Services } from "../../platform/context.ts";
import { requireEvaluation, requireRole, type Actor } from "../../platform/guards.ts";

export interface ImportSummary {
  items: number;
  subjects: number;
  responses: number;
  participants: number;
  judgments: number;
}

/** What an upload does to the evaluation, row by row, before (a dry run) or as it is imported. */
export interface ImportPreview {
  /** each distinct `item` value: the item it fills (matched by external id, id or title) or a new one */
  items: { ref: string; match: "external_ref" | "id" | "title" | "new"; itemId: string | null; title: string }[];
  /** distinct subject names: those the evaluation has, and those the import adds */
  subjects: { name: string; exists: boolean }[];
  /** responses the import adds, and those it leaves as they were because that subject already answered that item */
  responses: { added: number; alreadyAnswered: number };
}

class DryRun extends Error {
  constructor(readonly result: ImportSummary & { preview: ImportPreview }) {
    super("dry run");
  }
}

const PREVIEW_ITEMS = 500;

/** Items the batch names that the evaluation already has (core matchItemRef), and the preview of each. */
async function resolveItems(db: Client, evaluationId: string, items: NonNullable<ImportBatch["items"]>) {
  const known = (await listItems(db, evaluationId)).map((i) => ({ id: i.id, externalRef: i.external_ref, title: i.title }));
  const titles = new Map(known.map((i) => [i.id, i.title]));
  const match = itemMatcher(known);
  const matched = new Map<string, string>();
  const toUpsert: typeof items = [];
  const preview: ImportPreview["items"] = [];
  for (const item of new Map(items.map((i) => [i.ref, i])).values()) {
    const found = match(item.ref);
    if (found.kind === "ambiguous") {
      throw new AppError("conflict", `the item "${item.ref}" matches ${found.count} items by title: name it by its external id instead`, "item", "item_reference");
    }
    // An item the evaluation has is filled, never rewritten: judgments rest on the prompt people read.
    if (found.kind === "new") toUpsert.push(item);
    else matched.set(item.ref, found.id);
    if (preview.length < PREVIEW_ITEMS) {
      const id = found.kind === "new" ? null : found.id;
      preview.push({ ref: item.ref, match: found.kind, itemId: id, title: id ? (titles.get(id) ?? "") : (item.title ?? "") });
    }
  }
  return { matched, toUpsert, preview };
}

/**
 * Imports a batch in one transaction: all of it or nothing. Existing items (core matchItemRef: by external id,
 * id or title), subjects and responses are reused. A dry run does the same work, answers what it would do,
 * and rolls back.
 */
export async function importBatch(s: Services, idOrSlug: string, batch: ImportBatch, options: { dryRun?: boolean } = {}): Promise<ImportSummary & { preview: ImportPreview }> {
  // A JSON file can carry a NUL escaped ("\u0000") past the request's own check: refused here, naming where.
  const nul = nulFieldIn(batch, "content");
  if (nul) throw new AppError("invalid_file", `${nul} contains a NUL character, which text may not hold`, nul, "no_nul");
  try {
    return await inTransaction(s.pool, async (db) => {
      const result = await importInto(db, idOrSlug, batch);
      if (options.dryRun) throw new DryRun(result);
      return result;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
}

async function importInto(db: Client, idOrSlug: string, batch: ImportBatch): Promise<ImportSummary & { preview: ImportPreview }> {
  const evaluation = await requireEvaluation(db, idOrSlug);
  const charter = await latestCharter(db, evaluation.id);
  const version = charter?.version ?? 1;
  const resolved = await resolveItems(db, evaluation.id, batch.items ?? []);
  const itemIds = new Map([...(await upsertItemsBulk(db, evaluation.id, resolved.toUpsert)), ...resolved.matched]);
  for (const entry of resolved.preview) if (entry.match === "new") entry.itemId = itemIds.get(entry.ref) ?? null;
  const knownSubjects = new Set((await listSubjects(db, evaluation.id)).map((x) => x.name));
  const before = await answeredPairs(db, evaluation.id, [...itemIds.values()]);
  const subjects = await ensureSubjects(db, evaluation.id, batch);
  const subjectIds = new Map([...subjects].map(([name, s]) => [name, s.id]));
  // A response that names its own subject or maker is kept, marked: judgments that show it are not blind.
  const detectors = new Map([...subjects].map(([name, s]) => [name, identityLeakDetector({ subjectName: name, organisation: s.organisation ?? "" })]));
  const pending = (batch.responses ?? []).map((r) => {
    // end-of-text tokens are dropped from what people read; the original text stays in meta for exports
    const { text, original } = stripEndTokens(r.text);
    return {
      itemId: requireRef(itemIds, r.itemRef, "item"),
      subjectId: requireRef(subjectIds, r.subject, "subject"),
      subject: r.subject,
      text,
      meta: original === null ? (r.meta ?? {}) : { ...r.meta, originalText: original },
    };
  });
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
  const pairs = new Set(pending.map((r) => `${r.itemId}|${r.subjectId}`));
  const alreadyAnswered = [...pairs].filter((pair) => before.has(pair)).length;
  const preview: ImportPreview = {
    items: resolved.preview,
    subjects: [...subjectIds.keys()].map((name) => ({ name, exists: knownSubjects.has(name) })),
    responses: { added: pairs.size - alreadyAnswered, alreadyAnswered },
  };
  return { items: itemIds.size, subjects: subjectIds.size, responses: responseIds.size, participants: participantIds.size, judgments, preview };
}

/** The (item, subject) pairs already answered among the items an import touches. */
async function answeredPairs(db: Client, evaluationId: string, itemIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ pair: string }>("SELECT item_id || '|' || subject_id AS pair FROM responses WHERE evaluation_id = $1 AND item_id = ANY($2::uuid[])", [evaluationId, itemIds]);
  return new Set(rows.map((r) => r.pair));
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

export interface UploadOptions {
  source?: string | undefined;
  /** answer what the upload would do (its preview) and change nothing */
  dryRun?: boolean | undefined;
  /** for rows of outputs: which of the file's columns holds the item, the subject and the response */
  columns?: OutputColumns | undefined;
}

/** An organiser's upload: parsed in the named format, then imported in one transaction (or previewed). */
export async function importUpload(s: Services, actor: Actor, idOrSlug: string, format: ImportFormat, content: string, options: UploadOptions = {}): Promise<ImportSummary & { preview: ImportPreview }> {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  await requireRole(s.pool, evaluation.id, actor, ["organiser"]);
  const result = await importBatch(s, evaluation.id, batchFromText(format, content, options.source, options.columns), { dryRun: options.dryRun ?? false });
  if (!options.dryRun) {
    const { items, subjects, responses, participants, judgments } = result;
    await recordAudit(s.pool, evaluation.id, actor, "import.judgments", null, { format, fileName: options.source?.slice(0, 300) ?? null, items, subjects, responses, participants, judgments });
  }
  return result;
}
