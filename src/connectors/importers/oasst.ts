/**
 * OpenAssistant export trees as Counterpublic material: each message whose replies carry a `rank`
 * becomes an item (the conversation up to it is kept as context), each ranked reply a response, and the
 * published ranking of the siblings one ranking judgment. OpenAssistant's replies were written one by one
 * (by volunteers or, when `synthetic`, by a model), so each reply is its own subject.
 */
import { ballotFromRanks, parseOasstTrees, rankedSiblings, type OasstMessage, type RankedSiblings } from "../formats/oasst.ts";
import type { ImportBatch } from "./batch.ts";
import { ImportError } from "./errors.ts";

const OASST_RANKERS = "openassistant-rankers";

type OasstBatch = Required<Pick<ImportBatch, "items" | "subjects" | "responses" | "rankings">>;

export function oasstBatch(text: string, source = "openassistant.jsonl"): ImportBatch & { trees: number } {
  const trees = parseOasstTrees(text);
  const batch: OasstBatch = { items: [], subjects: [], responses: [], rankings: [] };
  for (const siblings of rankedSiblings(trees)) {
    if (siblings.ranked.length >= 2) addGroup(batch, siblings, (message) => textOf(message, source));
  }
  return { ...batch, consentScopes: ["aggregate"], trees: trees.length };
}

function addGroup(batch: OasstBatch, { tree, parent, thread, ranked }: RankedSiblings, text: (message: OasstMessage) => string): void {
  const ref = parent.message_id;
  const context = thread.map((m) => ({ role: m.role ?? "", text: text(m) }));
  batch.items.push({ ref, title: `OpenAssistant tree ${tree}`, prompt: text(parent), scenario: { source: "OpenAssistant", tree: String(tree), context } });
  for (const reply of ranked) {
    batch.subjects.push({ name: subjectOf(reply), kind: reply.synthetic ? "model" : "application", organisation: reply.synthetic ? reply.model_name ?? null : "OpenAssistant volunteers" });
    batch.responses.push({ itemRef: ref, subject: subjectOf(reply), text: text(reply), meta: { oasstMessageId: reply.message_id, rank: reply.rank } });
  }
  const { groups } = ballotFromRanks(ranked.map((reply) => reply.rank ?? 0));
  batch.rankings.push({ participant: OASST_RANKERS, itemRef: ref, order: groups.map((group) => group.map((index) => subjectOf(ranked[index] as OasstMessage))) });
}

function subjectOf(reply: OasstMessage): string {
  return `oasst reply ${reply.message_id.slice(0, 8)}`;
}

/** The ranks-only tree export has no message text, and cannot be imported. */
function textOf(message: OasstMessage, source: string): string {
  if (message.text === undefined) throw new ImportError(source, null, `message ${message.message_id} has no text (the ranks-only export cannot be imported)`);
  return message.text;
}
