import type { Queryable } from "../../platform/db/pool.ts";

export type TargetKind = "evaluation" | "item" | "response" | "result";
export type ModerationTargetKind = "post" | "statement";
export type ModerationActionName = "hide" | "restore" | "accept" | "reject" | "unmoderate";

export interface PostRow {
  id: string;
  seq: number;
  evaluation_id: string;
  target_kind: TargetKind;
  target_id: string;
  parent_id: string | null;
  author_role: "participant" | "organiser";
  author_participant_id: string | null;
  author_user_id: string | null;
  author_pseudonym: string | null;
  body: string;
  version: number;
  hidden: boolean;
  created_at: Date;
  edited_at: Date | null;
  flag_count: number;
}

export interface PostVersionRow {
  post_id: string;
  version: number;
  body: string;
  created_at: Date;
}

export interface FlagRow {
  post_id: string;
  reason: string;
  created_at: Date;
}

export interface ModerationActionRow {
  id: number;
  target_kind: ModerationTargetKind;
  target_id: string;
  action: ModerationActionName;
  actor_role: string;
  reason: string;
  created_at: Date;
}

const POST_SELECT = `SELECT p.id, p.seq, p.evaluation_id, p.target_kind, p.target_id, p.parent_id, p.author_role, p.author_participant_id,
       p.author_user_id, pt.pseudonym AS author_pseudonym, p.body, p.version, p.hidden, p.created_at, p.edited_at,
       (SELECT count(*)::int FROM post_flags f WHERE f.post_id = p.id) AS flag_count
  FROM posts p LEFT JOIN participants pt ON pt.id = p.author_participant_id`;

export interface NewPost {
  evaluationId: string;
  targetKind: TargetKind;
  targetId: string;
  parentId: string | null;
  authorRole: PostRow["author_role"];
  authorParticipantId: string | null;
  authorUserId: string;
  body: string;
}

export async function insertPost(db: Queryable, p: NewPost): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO posts (evaluation_id, target_kind, target_id, parent_id, author_role, author_participant_id, author_user_id, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [p.evaluationId, p.targetKind, p.targetId, p.parentId, p.authorRole, p.authorParticipantId, p.authorUserId, p.body],
  );
  const id = (rows[0] as { id: string }).id;
  await db.query("INSERT INTO post_versions (post_id, version, body) VALUES ($1, 1, $2)", [id, p.body]);
  return id;
}

export async function findPost(db: Queryable, evaluationId: string, postId: string, lock = false): Promise<PostRow | undefined> {
  if (lock) await db.query("SELECT 1 FROM posts WHERE id = $1 FOR UPDATE", [postId]);
  const { rows } = await db.query<PostRow>(`${POST_SELECT} WHERE p.evaluation_id = $1 AND p.id = $2`, [evaluationId, postId]);
  return rows[0];
}

/** Posts of an evaluation, optionally of one target, in the order they were written. */
export async function listPosts(db: Queryable, evaluationId: string, target?: { kind: TargetKind; id: string }): Promise<PostRow[]> {
  const filter = target ? " AND p.target_kind = $2 AND p.target_id = $3" : "";
  const { rows } = await db.query<PostRow>(`${POST_SELECT} WHERE p.evaluation_id = $1${filter} ORDER BY p.seq`, target ? [evaluationId, target.kind, target.id] : [evaluationId]);
  return rows;
}

/** Writes a new version; the earlier ones stay in post_versions. */
export async function editPost(db: Queryable, postId: string, body: string): Promise<void> {
  const { rows } = await db.query<{ version: number }>(
    "UPDATE posts SET body = $2, version = version + 1, edited_at = now() WHERE id = $1 RETURNING version",
    [postId, body],
  );
  await db.query("INSERT INTO post_versions (post_id, version, body) VALUES ($1, $2, $3)", [postId, rows[0]?.version ?? 1, body]);
}

export async function postVersions(db: Queryable, postIds: readonly string[]): Promise<PostVersionRow[]> {
  const { rows } = await db.query<PostVersionRow>(
    "SELECT post_id, version, body, created_at FROM post_versions WHERE post_id = ANY($1::uuid[]) ORDER BY post_id, version",
    [postIds],
  );
  return rows;
}

export async function setPostHidden(db: Queryable, postId: string, hidden: boolean): Promise<void> {
  await db.query("UPDATE posts SET hidden = $2 WHERE id = $1", [postId, hidden]);
}

/** Returns false when this user had flagged the post already. */
export async function insertFlag(db: Queryable, postId: string, userId: string, reason: string): Promise<boolean> {
  const result = await db.query(
    "INSERT INTO post_flags (post_id, flagged_by, reason) VALUES ($1, $2, $3) ON CONFLICT (post_id, flagged_by) DO NOTHING",
    [postId, userId, reason],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function flagsOf(db: Queryable, postIds: readonly string[]): Promise<FlagRow[]> {
  const { rows } = await db.query<FlagRow>("SELECT post_id, reason, created_at FROM post_flags WHERE post_id = ANY($1::uuid[]) ORDER BY id", [postIds]);
  return rows;
}

export async function insertModerationAction(
  db: Queryable,
  a: { evaluationId: string; targetKind: ModerationTargetKind; targetId: string; action: ModerationActionName; actorRole: string; actorUserId: string; reason: string },
): Promise<ModerationActionRow> {
  const { rows } = await db.query<ModerationActionRow>(
    `INSERT INTO moderation_actions (evaluation_id, target_kind, target_id, action, actor_role, actor_user_id, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, target_kind, target_id, action, actor_role, reason, created_at`,
    [a.evaluationId, a.targetKind, a.targetId, a.action, a.actorRole, a.actorUserId, a.reason],
  );
  return rows[0] as ModerationActionRow;
}

/** The public moderation log (never who acted by account, only by role), oldest first. */
export async function moderationLog(db: Queryable, evaluationId: string, targetIds?: readonly string[]): Promise<ModerationActionRow[]> {
  const filter = targetIds ? " AND target_id = ANY($2::uuid[])" : "";
  const { rows } = await db.query<ModerationActionRow>(
    `SELECT id, target_kind, target_id, action, actor_role, reason, created_at FROM moderation_actions WHERE evaluation_id = $1${filter} ORDER BY id`,
    targetIds ? [evaluationId, targetIds] : [evaluationId],
  );
  return rows;
}

/** Whether an item or response id belongs to the evaluation. */
export async function targetExists(db: Queryable, evaluationId: string, kind: "item" | "response", id: string): Promise<boolean> {
  const table = kind === "item" ? "items" : "responses";
  const { rows } = await db.query(`SELECT 1 FROM ${table} WHERE evaluation_id = $1 AND id = $2::uuid`, [evaluationId, id]);
  return rows.length > 0;
}
