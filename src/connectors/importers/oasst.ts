/**
 * OpenAssistant export trees as Counterpublic material: each message whose replies carry a `rank`
 * becomes an item (the conversation up to it is kept as context), each ranked reply a response, and the
 * published ranking of the siblings one ranking judgment. OpenAssistant's replies were written one by one
 * (by volunteers or, when `synthetic`, by a model), so each reply is its own subject.
 */
import { z } from "zod";
import type { ImportBatch } from "../../modules/imports/service.ts";
import { ImportError, readJsonLines } from "./common.ts";

interface Message {
  message_id: string;
  text: string;
  role: string;
  rank?: number | null | undefined;
  synthetic?: boolean | null | undefined;
  model_name?: string | null | undefined;
  replies?: Message[] | undefined;
}

const messageSchema: z.ZodType<Message> = z.lazy(() =>
  z.object({
    message_id: z.string().min(1),
    text: z.string(),
    role: z.string(),
    rank: z.number().int().nonnegative().nullish(),
    synthetic: z.boolean().nullish(),
    model_name: z.string().nullish(),
    replies: z.array(messageSchema).optional(),
  }),
);
const lineSchema = z.union([z.object({ message_tree_id: z.string(), prompt: messageSchema }), messageSchema]);

export const OASST_RANKERS = "openassistant-rankers";

export function oasstBatch(text: string, source = "openassistant.jsonl"): ImportBatch & { trees: number } {
  const batch: Required<Pick<ImportBatch, "items" | "subjects" | "responses" | "rankings">> = { items: [], subjects: [], responses: [], rankings: [] };
  const lines = readJsonLines(text, lineSchema, source);
  lines.forEach((line, index) => visit("prompt" in line ? line.prompt : line, [], String(index + 1), batch));
  const trees = lines.length;
  if (trees === 0) throw new ImportError(source, null, "no conversation trees");
  return { ...batch, consentScopes: ["aggregate"], trees };
}

function visit(message: Message, thread: Message[], tree: string, batch: Required<Pick<ImportBatch, "items" | "subjects" | "responses" | "rankings">>): void {
  const ranked = (message.replies ?? []).filter((reply) => typeof reply.rank === "number");
  if (ranked.length >= 2) {
    const context = thread.map((m) => ({ role: m.role, text: m.text }));
    batch.items.push({ ref: message.message_id, title: `OpenAssistant tree ${tree}`, prompt: message.text, scenario: { source: "OpenAssistant", tree, context } });
    for (const reply of ranked) {
      const subject = `oasst reply ${reply.message_id.slice(0, 8)}`;
      batch.subjects.push({ name: subject, kind: reply.synthetic ? "model" : "application", organisation: reply.synthetic ? reply.model_name ?? null : "OpenAssistant volunteers" });
      batch.responses.push({ itemRef: message.message_id, subject, text: reply.text, meta: { oasstMessageId: reply.message_id, rank: reply.rank } });
    }
    const ranks = [...new Set(ranked.map((r) => r.rank as number))].sort((a, b) => a - b);
    batch.rankings.push({
      participant: OASST_RANKERS,
      itemRef: message.message_id,
      order: ranks.map((rank) => ranked.filter((r) => r.rank === rank).map((r) => `oasst reply ${r.message_id.slice(0, 8)}`)),
    });
  }
  for (const reply of message.replies ?? []) visit(reply, [...thread, message], tree, batch);
}
