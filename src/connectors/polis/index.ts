/** Polis connector: read a Polis export folder or a golden case, write an export folder. */
import { existsSync } from "node:fs";
import path from "node:path";
import type { PolisConversation } from "./conversation.ts";
import { readPolisGoldenCase } from "./golden.ts";
import { readPolisExport } from "./read-export.ts";

export { PolisFormatError } from "./errors.ts";
export type { PolisConversation, PolisStatement, PolisVoteEvent } from "./conversation.ts";
export { readPolisExport, readPolisVoteEvents, readPolisGroupIds, readPolisGroupInformedConsensus } from "./read-export.ts";
export { readPolisGoldenCase } from "./golden.ts";
export { writePolisExport } from "./write-export.ts";

/** reads either format: a golden case (votes.json) or a Polis export (comments.csv + votes) */
export function readPolisConversation(dir: string): PolisConversation {
  return existsSync(path.join(dir, "votes.json")) ? readPolisGoldenCase(dir) : readPolisExport(dir);
}
