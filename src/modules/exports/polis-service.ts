/**
 * The Polis export (statements and statement votes, migration 0002), filtered like every other export: a
 * participant's statement or vote leaves only if their consent, as it stands now, covers the scope and the
 * charter version in force when they made it offered that scope. Statements written by the organiser are kept;
 * imported ones only under the scopes they were imported with (`mayUse`); votes on a statement left out are left
 * out too. A `publish` export with fewer than k distinct contributors publishes nothing.
 */
import { writePolisCsv, type StatementExportRow, type StatementVoteExportRow } from "../../connectors/exporters/polis.ts";
import type { ExportResult } from "../../connectors/exporters/rows.ts";
import { mayUse, type ExportScope } from "../../core/consent.ts";
import { contributorMarker } from "../../core/k-anonymity.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import type { CharterRow } from "../../platform/records.ts";
import { polisStatements, polisVotes } from "./queries.ts";

export interface CollectedExport {
  written: ExportResult;
  included: number;
  excluded: Record<string, number>;
  contributors: Map<string, number>;
}

/** Whether the charter version in force at `at` offered `scope`. */
function offeredAt(charters: readonly CharterRow[], at: Date, scope: ExportScope): boolean {
  let current = charters[0];
  for (const charter of charters) if (charter.created_at.getTime() <= at.getTime()) current = charter;
  return current?.content.scopes.includes(scope) ?? false;
}

function reasonFor(author: "participant" | "imported", scopes: string[] | null, at: Date, scope: ExportScope, charters: readonly CharterRow[]): string | null {
  if (!mayUse({ author }, scopes, scope)) return "consent_lacks_scope";
  return offeredAt(charters, at, scope) ? null : "scope_not_offered_when_contributed";
}

export async function polisExport(db: Queryable, evaluationId: string, scope: ExportScope, charters: readonly CharterRow[], salt: string, k: number): Promise<CollectedExport> {
  const excluded: Record<string, number> = {};
  const contributors = new Map<string, number>();
  const exclude = (reason: string) => (excluded[reason] = (excluded[reason] ?? 0) + 1);
  const credit = (participantId: string) => contributors.set(participantId, (contributors.get(participantId) ?? 0) + 1);
  const statements: StatementExportRow[] = [];
  for (const s of await polisStatements(db, evaluationId)) {
    const author = s.author_role === "imported" ? "imported" : s.author_participant_id ? "participant" : null;
    const reason = author ? reasonFor(author, s.author_scopes, s.created_at, scope, charters) : null;
    if (reason) {
      exclude(reason);
      continue;
    }
    if (s.author_participant_id) credit(s.author_participant_id);
    statements.push({ statementId: s.id, authorId: s.author_participant_id ?? `${s.author_role}`, text: s.text, createdAt: s.created_at, moderation: s.moderation === "unmoderated" ? "unmoderated" : s.moderation });
  }
  const kept = new Set(statements.map((s) => s.statementId));
  const votes: StatementVoteExportRow[] = [];
  for (const v of await polisVotes(db, evaluationId)) {
    const reason = kept.has(v.statement_id) ? reasonFor("participant", v.voter_scopes, v.created_at, scope, charters) : "statement_left_out";
    if (reason) {
      exclude(reason);
      continue;
    }
    credit(v.participant_id);
    votes.push({ statementId: v.statement_id, participantId: v.participant_id, vote: v.vote, votedAt: v.created_at });
  }
  if (scope === "publish" && contributorMarker(contributors.size, k)) {
    // below k, nothing individual: a public dataset of fewer than k people is not published at all
    excluded.fewer_than_k_contributors = statements.length + votes.length;
    return { written: writePolisCsv({ statements: [], votes: [] }, { salt }), included: 0, excluded, contributors: new Map() };
  }
  return { written: writePolisCsv({ statements, votes }, { salt }), included: statements.length + votes.length, excluded, contributors };
}
