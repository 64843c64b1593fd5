import { mayUseSql } from "../../platform/consent-sql.ts";
import type { Queryable } from "../../platform/db/pool.ts";

/** An item's author for `mayUse`: a participant (whose live consent decides) or the organiser (`i` the items row). */
const ITEM_MAY_BE_SHOWN = mayUseSql(
  "(CASE WHEN i.author_participant_id IS NULL THEN 'organiser' ELSE 'participant' END)",
  "(SELECT c.scopes FROM consents c WHERE c.participant_id = i.author_participant_id)",
  "'aggregate'",
);

export interface ItemRow {
  id: string;
  evaluation_id: string;
  external_ref: string | null;
  title: string;
  prompt: string;
  scenario: Record<string, unknown> | null;
  moderation: "accepted" | "pending" | "rejected";
  author_participant_id: string | null;
}

export interface ResponseRow {
  id: string;
  item_id: string;
  subject_id: string;
  text: string;
  meta: Record<string, unknown>;
  identity_leak: string[] | null;
}

const ITEM_COLUMNS = "id, evaluation_id, external_ref, title, prompt, scenario, moderation, author_participant_id";

export async function insertItem(
  db: Queryable,
  evaluationId: string,
  item: { externalRef?: string | null; title?: string; prompt: string; scenario?: Record<string, unknown> | null; authorParticipantId?: string | null; moderation?: ItemRow["moderation"] },
): Promise<ItemRow> {
  const { rows } = await db.query<ItemRow>(
    `INSERT INTO items (evaluation_id, external_ref, title, prompt, scenario, author_participant_id, moderation)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (evaluation_id, external_ref) DO UPDATE SET prompt = EXCLUDED.prompt
     RETURNING ${ITEM_COLUMNS}`,
    [
      evaluationId,
      item.externalRef ?? null,
      item.title ?? "",
      item.prompt,
      item.scenario ? JSON.stringify(item.scenario) : null,
      item.authorParticipantId ?? null,
      item.moderation ?? "accepted",
    ],
  );
  return rows[0] as ItemRow;
}

export async function findItem(db: Queryable, evaluationId: string, itemId: string): Promise<ItemRow | undefined> {
  const { rows } = await db.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE evaluation_id = $1 AND id = $2`, [evaluationId, itemId]);
  return rows[0];
}

export async function listItems(db: Queryable, evaluationId: string): Promise<ItemRow[]> {
  const { rows } = await db.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE evaluation_id = $1 ORDER BY created_at, external_ref`, [evaluationId]);
  return rows;
}

/** The current consent scopes of the participants who wrote items of this evaluation. */
export async function itemAuthorScopes(db: Queryable, evaluationId: string): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ participant_id: string; scopes: string[] }>(
    `SELECT c.participant_id, c.scopes FROM consents c
      WHERE c.participant_id IN (SELECT author_participant_id FROM items WHERE evaluation_id = $1 AND author_participant_id IS NOT NULL)`,
    [evaluationId],
  );
  return new Map(rows.map((row) => [row.participant_id, row.scopes]));
}

/** Every (item, subject) answered in the evaluation, with the first characters of each answer. */
export async function listAnswered(db: Queryable, evaluationId: string, excerpt: number): Promise<{ id: string; item_id: string; subject_id: string; excerpt: string; length: number }[]> {
  const { rows } = await db.query<{ id: string; item_id: string; subject_id: string; excerpt: string; length: number }>(
    "SELECT id, item_id, subject_id, left(text, $2) AS excerpt, length(text)::int AS length FROM responses WHERE evaluation_id = $1 ORDER BY created_at",
    [evaluationId, excerpt],
  );
  return rows;
}

export async function findResponseText(db: Queryable, itemId: string, subjectId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ text: string }>("SELECT text FROM responses WHERE item_id = $1 AND subject_id = $2", [itemId, subjectId]);
  return rows[0]?.text;
}

export async function insertResponse(
  db: Queryable,
  evaluationId: string,
  r: { itemId: string; subjectId: string; text: string; meta?: Record<string, unknown>; identityLeak?: string[] | null },
): Promise<ResponseRow> {
  const { rows } = await db.query<ResponseRow>(
    `INSERT INTO responses (evaluation_id, item_id, subject_id, text, meta, identity_leak) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (item_id, subject_id) DO UPDATE SET text = responses.text
     RETURNING id, item_id, subject_id, text, meta, identity_leak`,
    [evaluationId, r.itemId, r.subjectId, r.text, JSON.stringify(r.meta ?? {}), r.identityLeak ?? null],
  );
  return rows[0] as ResponseRow;
}

export async function responsesByIds(db: Queryable, evaluationId: string, ids: readonly string[]): Promise<ResponseRow[]> {
  const { rows } = await db.query<ResponseRow>(
    "SELECT id, item_id, subject_id, text, meta, identity_leak FROM responses WHERE evaluation_id = $1 AND id = ANY($2::uuid[])",
    [evaluationId, ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Items open for judging with the responses of available subjects (id pairs only: this is the assignment pool). */
export async function assignableResponses(db: Queryable, evaluationId: string): Promise<{ item_id: string; response_id: string; subject_id: string }[]> {
  const { rows } = await db.query<{ item_id: string; response_id: string; subject_id: string }>(
    `SELECT r.item_id, r.id AS response_id, r.subject_id
       FROM responses r JOIN items i ON i.id = r.item_id JOIN subjects s ON s.id = r.subject_id
      WHERE r.evaluation_id = $1 AND i.moderation = 'accepted' AND s.available AND ${ITEM_MAY_BE_SHOWN}
      ORDER BY r.item_id, r.subject_id`,
    [evaluationId],
  );
  return rows;
}
