/**
 * Reader of the golden-case format of red-dwarf's test fixtures: `votes.json` (list of
 * {pid|participant_id, tid|statement_id, vote (+1 agree), modified}) and `comments.json`
 * (list of {tid|statement_id, txt, mod|moderated, is_meta, ...}).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { assembleConversation, type PolisConversation, type PolisStatement, type PolisVoteEvent } from "./conversation.ts";
import { PolisFormatError } from "./errors.ts";
import { voteFromPolisExport } from "./votes.ts";

const id = z.union([z.number(), z.string()]).transform(String);
const time = z.union([z.number(), z.string()]).transform(Number);

const voteRow = z.object({
  pid: id.optional(),
  participant_id: id.optional(),
  tid: id.optional(),
  statement_id: id.optional(),
  vote: z.number(),
  modified: time.optional(),
});

const commentRow = z.object({
  tid: id.optional(),
  statement_id: id.optional(),
  txt: z.string().default(""),
  pid: id.optional(),
  participant_id: id.optional(),
  mod: z.number().optional(),
  moderated: z.number().optional(),
  is_meta: z.boolean().default(false),
  created: time.optional(),
});

function readJsonList(file: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new PolisFormatError(path.basename(file), null, `not readable JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw new PolisFormatError(path.basename(file), null, "expected a JSON list");
  return parsed;
}

function parseRow<T>(schema: z.ZodType<T>, file: string, row: unknown, index: number): T {
  const result = schema.safeParse(row);
  if (!result.success) throw new PolisFormatError(file, index + 1, result.error.issues[0]?.message ?? "invalid entry");
  return result.data;
}

function readComments(dir: string): PolisStatement[] {
  return readJsonList(path.join(dir, "comments.json")).map((raw, index) => {
    const row = parseRow(commentRow, "comments.json", raw, index);
    const statementId = row.tid ?? row.statement_id;
    if (statementId === undefined) throw new PolisFormatError("comments.json", index + 1, "no tid or statement_id");
    const moderation = (row.mod ?? row.moderated ?? 0) as -1 | 0 | 1;
    return {
      id: statementId,
      text: row.txt,
      authorId: row.pid ?? row.participant_id ?? "",
      moderation,
      isMeta: row.is_meta,
      moderatedOut: row.is_meta || moderation === -1,
      createdAt: row.created ?? null,
    };
  });
}

export function readPolisGoldenCase(dir: string): PolisConversation {
  const statements = readComments(dir);
  const known = new Set(statements.map((s) => s.id));
  const events: PolisVoteEvent[] = readJsonList(path.join(dir, "votes.json")).map((raw, index) => {
    const row = parseRow(voteRow, "votes.json", raw, index);
    const participant = row.pid ?? row.participant_id;
    const statement = row.tid ?? row.statement_id;
    if (participant === undefined || statement === undefined) {
      throw new PolisFormatError("votes.json", index + 1, "each vote needs pid/participant_id and tid/statement_id");
    }
    if (!known.has(statement)) throw new PolisFormatError("votes.json", index + 1, `unknown statement id ${statement}`);
    const vote = voteFromPolisExport(row.vote);
    if (!vote) throw new PolisFormatError("votes.json", index + 1, `vote ${row.vote} is not one of -1, 0, 1`);
    return { participant, statement, vote, at: row.modified ?? index };
  });
  return assembleConversation(dir, "votes.json", statements, events);
}
