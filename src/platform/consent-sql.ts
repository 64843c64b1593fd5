/**
 * The SQL twin of `mayUse` (src/core/consent.ts), written once: every query that filters contributions by
 * consent builds its condition here. `author` is a SQL expression giving 'participant' | 'imported' |
 * 'organiser', `scopes` one giving the current (or imported) scopes as text[] (NULL: none), `use` a SQL
 * expression or parameter giving the use. test/core/consent-sql.test.ts checks both agree on every case.
 */
export function mayUseSql(author: string, scopes: string, use: string): string {
  return `(${author} = 'organiser' OR ((${scopes})::text[] IS NOT NULL AND (${use})::text = ANY((${scopes})::text[])))`;
}

/**
 * A participant (table alias `p`) who counts in public figures: their current consent covers `aggregate`.
 * The evaluation list, the card and the results count participants by this one condition.
 */
export function countedParticipantSql(p = "p"): string {
  return participantMayUseSql(`(SELECT c.scopes FROM consents c WHERE c.participant_id = ${p}.id)`, "'aggregate'");
}

/** How many participants of `evaluation` (a SQL expression) count in public figures. */
export function countedParticipantsSql(evaluation: string): string {
  return `(SELECT count(*)::int FROM participants p WHERE p.evaluation_id = ${evaluation} AND ${countedParticipantSql()})`;
}

/** How many current judgments of `evaluation` count in public figures: not set aside, by a counted participant. */
export function countedJudgmentsSql(evaluation: string): string {
  return `(SELECT count(*)::int FROM judgments j JOIN participants p ON p.id = j.participant_id
            WHERE j.evaluation_id = ${evaluation} AND j.is_current AND j.excluded_reason IS NULL AND ${countedParticipantSql()})`;
}

/** For a judgment-like row whose author is always a participant (judgments, votes): `c` the consents row. */
export function participantMayUseSql(scopes: string, use: string): string {
  return mayUseSql("'participant'", scopes, use);
}
