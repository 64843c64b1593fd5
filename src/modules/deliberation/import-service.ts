/**
 * Imports a Polis conversation (comments.csv + votes.csv contents) through the Polis connector. The
 * connector reads an export folder, so the two files are written to a private temporary folder first.
 * Polis voters become pseudonymous participants `polis-<voter-id>` with the consent scopes the organiser
 * states the source's contributors gave; statements keep their Polis id as external_ref and their
 * moderation (1 accepted, 0 unmoderated, -1 rejected). All of it or nothing, in one transaction.
 */
import { recordAudit } from "../evaluations/audit.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PolisFormatError, readPolisExport, type PolisConversation } from "../../connectors/polis/index.ts";
import { moderationFromPolis } from "../../connectors/polis/votes.ts";
import type { ConsentScope } from "../../core/consent.ts";
import { AppError } from "../../core/errors.ts";
import { inTransaction, type Client } from "../../platform/db/pool.ts";
import { externalRefsTaken, insertStatement, insertVotesBulk } from "./statement-queries.ts";
import { ensureImportedParticipants } from "../imports/queries.ts";
import { type Services } from "../../platform/context.ts";
import { requireEvaluation, type Actor, requireCharter } from "../../platform/guards.ts";
import { requireOrganiser } from "../../platform/guards.ts";

export interface PolisUpload {
  comments: string;
  votes: string;
  consentScopes: ConsentScope[];
}

export function parsePolisUpload(upload: Pick<PolisUpload, "comments" | "votes">): PolisConversation {
  const dir = mkdtempSync(path.join(tmpdir(), "counterpublic-polis-"));
  try {
    writeFileSync(path.join(dir, "comments.csv"), upload.comments, "utf8");
    writeFileSync(path.join(dir, "votes.csv"), upload.votes, "utf8");
    return readPolisExport(dir);
  } catch (error) {
    if (error instanceof PolisFormatError) {
      const field = error.file === "comments.csv" ? "comments" : "votes";
      throw new AppError("validation_failed", error.message.replaceAll(dir, "the upload"), field);
    }
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function importPolis(s: Services, actor: Actor, idOrSlug: string, upload: PolisUpload) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    await requireOrganiser(db, evaluation, actor);
    const conversation = parsePolisUpload(upload);
    const summary = await storeConversation(db, evaluation.id, conversation, upload.consentScopes);
    await recordAudit(db, evaluation.id, actor, "import.polis", null, { ...summary, consentScopes: upload.consentScopes });
    return summary;
  });
}

/** Stores a read conversation (statements with their moderation, voters as pseudonymous participants, votes) in a transaction of the caller's. */
export async function storeConversation(db: Client, evaluationId: string, conversation: PolisConversation, consentScopes: ConsentScope[]) {
  const charter = await requireCharter(db, evaluationId);
  const notOffered = consentScopes.filter((scope) => !charter.content.scopes.includes(scope));
  if (notOffered.length > 0) throw new AppError("scope_not_offered", `the charter does not offer ${notOffered.join(", ")}`, "consentScopes");
  const taken = await externalRefsTaken(db, evaluationId, conversation.statements.map((st) => `polis:${st.id}`));
  if (taken.length > 0) throw new AppError("conflict", `statements already imported: ${taken.slice(0, 5).join(", ")}`, "comments");
  const statementIds = new Map<string, string>();
  for (const st of conversation.statements) {
    const row = await insertStatement(db, {
      evaluationId,
      text: st.text,
      authorRole: "imported",
      authorParticipantId: null,
      moderation: moderationFromPolis(st.moderation),
      isMeta: st.isMeta,
      externalRef: `polis:${st.id}`,
      importScopes: consentScopes,
      // Polis's times are kept: who counts as "in the conversation" depends on its history.
      createdAt: st.createdAt === null ? null : new Date(st.createdAt),
    });
    statementIds.set(st.id, row.id);
  }
  const participantIds = await ensureVoters(db, evaluationId, charter.version, conversation.participants, consentScopes);
  const votes = conversation.votes.map((v) => ({
    statementId: statementIds.get(v.statement) as string,
    participantId: participantIds.get(v.participant) as string,
    vote: v.vote,
    at: v.at > 0 ? new Date(v.at) : null,
  }));
  const inserted = await insertVotesBulk(db, evaluationId, votes);
  return { statements: statementIds.size, participants: participantIds.size, votes: inserted };
}

async function ensureVoters(db: Client, evaluationId: string, charterVersion: number, voters: readonly string[], scopes: ConsentScope[]): Promise<Map<string, string>> {
  const byPseudonym = await ensureImportedParticipants(db, evaluationId, charterVersion, voters.map((v) => ({ pseudonym: `polis-${v}`, externalRef: `polis:${v}` })), scopes);
  return new Map(voters.map((v) => [v, byPseudonym.get(`polis-${v}`) as string]));
}
