/**
 * Threads: posts and replies on an evaluation, item, response or result. Every edit is kept as a
 * version; flags carry reasons; moderation is public: a hidden post stays in the thread, showing
 * that it was hidden, by which role and why (its text is withheld except from its author and organisers).
 */
import { recordAudit } from "../evaluations/audit.ts";
import { AppError } from "../../core/errors.ts";
import type { Role } from "../../core/evaluation.ts";
import { inTransaction, type Queryable } from "../../platform/db/pool.ts";
import {
  editPost,
  findPost,
  flagsOf,
  insertFlag,
  insertModerationAction,
  insertPost,
  listPosts,
  moderationLog,
  postVersions,
  setPostHidden,
  targetExists,
  type ModerationActionRow,
  type PostRow,
  type TargetKind,
} from "./thread-queries.ts";
import type { EvaluationRow } from "../../platform/records.ts";
import { findParticipantByUser } from "../../platform/records.ts";
import { type Services } from "../../platform/context.ts";
import { requireEvaluation, requireSignedIn, roleOf, type Actor } from "../../platform/guards.ts";
import { requireAuthor, requireCharter, requireContributor, requireOrganiser, requireReader, requireText } from "../../platform/guards.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PostTarget {
  kind: TargetKind;
  id?: string | undefined;
}

interface Viewer {
  role: Role | null;
  userId: string | null;
}

/** Checks the target belongs to the evaluation; returns the id to store (the evaluation's own id for `evaluation`). */
async function resolveTarget(db: Queryable, evaluation: EvaluationRow, target: PostTarget): Promise<string> {
  if (target.kind === "evaluation") {
    if (target.id !== undefined && target.id !== evaluation.id && target.id !== evaluation.slug) {
      throw new AppError("not_found", "an evaluation thread's target is the evaluation itself", "targetId");
    }
    return evaluation.id;
  }
  const id = target.id ?? "";
  if (target.kind === "result") {
    const charter = (await requireCharter(db, evaluation.id)).content;
    if (!(charter.rules as readonly string[]).includes(id)) {
      throw new AppError("not_found", `a result is named by one of the charter's rules (${charter.rules.join(", ")})`, "targetId");
    }
    return id;
  }
  if (!UUID.test(id) || !(await targetExists(db, evaluation.id, target.kind, id))) {
    throw new AppError("not_found", `no ${target.kind} ${id} in this evaluation`, "targetId");
  }
  return id;
}

export async function createPost(s: Services, actor: Actor, idOrSlug: string, target: PostTarget, text: string) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const author = await requireAuthor(db, evaluation, actor);
    const targetId = await resolveTarget(db, evaluation, target);
    const body = requireText("text", text, (await requireCharter(db, evaluation.id)).content.textLimits.post);
    const id = await insertPost(db, {
      evaluationId: evaluation.id,
      targetKind: target.kind,
      targetId,
      parentId: null,
      authorRole: author.role,
      authorParticipantId: author.participant?.id ?? null,
      authorUserId: requireSignedIn(actor),
      body,
    });
    return viewOne(db, evaluation, id, actor);
  });
}

export async function replyToPost(s: Services, actor: Actor, idOrSlug: string, parentId: string, text: string) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const author = await requireAuthor(db, evaluation, actor);
    const parent = await requirePost(db, evaluation, parentId, "postId");
    const body = requireText("text", text, (await requireCharter(db, evaluation.id)).content.textLimits.post);
    const id = await insertPost(db, {
      evaluationId: evaluation.id,
      targetKind: parent.target_kind,
      targetId: parent.target_id,
      parentId: parent.id,
      authorRole: author.role,
      authorParticipantId: author.participant?.id ?? null,
      authorUserId: requireSignedIn(actor),
      body,
    });
    return viewOne(db, evaluation, id, actor);
  });
}

async function requirePost(db: Queryable, evaluation: EvaluationRow, postId: string, field: string, lock = false): Promise<PostRow> {
  const post = await findPost(db, evaluation.id, postId, lock);
  if (!post) throw new AppError("not_found", "no such post in this evaluation", field);
  return post;
}

/** Only the author edits; each edit is a new version, the earlier ones stay readable. */
export async function editOwnPost(s: Services, actor: Actor, idOrSlug: string, postId: string, text: string) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const userId = requireSignedIn(actor);
    const post = await requirePost(db, evaluation, postId, "postId", true);
    if (post.author_user_id !== userId) throw new AppError("forbidden", "only the author can edit a post", "postId");
    if (post.author_role === "participant") await requireContributor(db, evaluation, actor);
    if (post.hidden) throw new AppError("conflict", "a hidden post cannot be edited", "postId");
    const body = requireText("text", text, (await requireCharter(db, evaluation.id)).content.textLimits.post);
    if (body !== post.body) await editPost(db, post.id, body);
    return viewOne(db, evaluation, post.id, actor);
  });
}

export async function flagPost(s: Services, actor: Actor, idOrSlug: string, postId: string, reason: string) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const userId = requireSignedIn(actor);
    const isMember = (await findParticipantByUser(db, evaluation.id, userId)) !== undefined;
    if (!isMember) await requireOrganiser(db, evaluation, actor);
    const post = await requirePost(db, evaluation, postId, "postId");
    const clean = requireText("reason", reason, (await requireCharter(db, evaluation.id)).content.textLimits.reason);
    if (!(await insertFlag(db, post.id, userId, clean))) throw new AppError("conflict", "you have flagged this post already", "postId");
    return viewOne(db, evaluation, post.id, actor);
  });
}

export async function moderatePost(s: Services, actor: Actor, idOrSlug: string, postId: string, action: "hide" | "restore", reason: string) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    await requireOrganiser(db, evaluation, actor);
    const post = await requirePost(db, evaluation, postId, "postId", true);
    const clean = requireText("reason", reason, (await requireCharter(db, evaluation.id)).content.textLimits.reason);
    if (post.hidden === (action === "hide")) throw new AppError("conflict", `the post is ${post.hidden ? "hidden" : "shown"} already`, "action");
    await setPostHidden(db, post.id, action === "hide");
    await insertModerationAction(db, {
      evaluationId: evaluation.id,
      targetKind: "post",
      targetId: post.id,
      action,
      actorRole: "organiser",
      actorUserId: requireSignedIn(actor),
      reason: clean,
    });
    await recordAudit(db, evaluation.id, actor, "post.moderated", post.id, { action });
    return viewOne(db, evaluation, post.id, actor);
  });
}

export async function listThread(s: Services, actor: Actor, idOrSlug: string, target?: PostTarget) {
  const { evaluation, role } = await requireReader(s.pool, idOrSlug, actor);
  const resolved = target ? { kind: target.kind, id: await resolveTarget(s.pool, evaluation, target) } : undefined;
  const posts = await listPosts(s.pool, evaluation.id, resolved);
  return { posts: await present(s.pool, evaluation, posts, { role, userId: actor.userId }, false) };
}

export async function getPost(s: Services, actor: Actor, idOrSlug: string, postId: string) {
  const { evaluation } = await requireReader(s.pool, idOrSlug, actor);
  await requirePost(s.pool, evaluation, postId, "postId");
  return viewOne(s.pool, evaluation, postId, actor);
}

export async function publicModerationLog(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation } = await requireReader(s.pool, idOrSlug, actor);
  return { actions: (await moderationLog(s.pool, evaluation.id)).map(presentAction) };
}

async function viewOne(db: Queryable, evaluation: EvaluationRow, postId: string, actor: Actor) {
  const post = await requirePost(db, evaluation, postId, "postId");
  const viewer = { role: await roleOf(db, evaluation.id, actor), userId: actor.userId };
  const [view] = await present(db, evaluation, [post], viewer, true);
  return { post: view };
}

export function presentAction(a: ModerationActionRow) {
  return { id: a.id, targetKind: a.target_kind, targetId: a.target_id, action: a.action, by: a.actor_role, reason: a.reason, at: a.created_at };
}

async function present(db: Queryable, evaluation: EvaluationRow, posts: readonly PostRow[], viewer: Viewer, withHistory: boolean) {
  const ids = posts.map((p) => p.id);
  const actions = await moderationLog(db, evaluation.id, ids);
  const flags = viewer.role === "organiser" ? await flagsOf(db, ids) : [];
  const versions = withHistory ? await postVersions(db, ids) : [];
  return posts.map((post) => {
    const mayRead = !post.hidden || viewer.role === "organiser" || (viewer.userId !== null && post.author_user_id === viewer.userId);
    const own = actions.filter((a) => a.target_id === post.id);
    const last = own[own.length - 1];
    return {
      id: post.id,
      parentId: post.parent_id,
      target: { kind: post.target_kind, id: post.target_id },
      author: { role: post.author_role, pseudonym: post.author_pseudonym },
      mine: viewer.userId !== null && post.author_user_id === viewer.userId,
      text: mayRead ? post.body : null,
      hidden: post.hidden,
      moderation: post.hidden && last ? { action: last.action, by: last.actor_role, reason: last.reason, at: last.created_at } : null,
      moderationHistory: own.map(presentAction),
      version: post.version,
      createdAt: post.created_at,
      editedAt: post.edited_at,
      flags: { count: post.flag_count, reasons: viewer.role === "organiser" ? flags.filter((f) => f.post_id === post.id).map((f) => f.reason) : null },
      ...(withHistory
        ? { versions: versions.filter((v) => v.post_id === post.id).map((v) => ({ version: v.version, text: mayRead ? v.body : null, at: v.created_at })) }
        : {}),
    };
  });
}
