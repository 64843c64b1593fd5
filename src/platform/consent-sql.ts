/**
 * The SQL twin of `mayUse` (src/core/consent.ts), written once: every query that filters contributions by
 * consent builds its condition here. `author` is a SQL expression giving 'participant' | 'imported' |
 * 'organiser', `scopes` one giving the current (or imported) scopes as text[] (NULL: none), `use` a SQL
 * expression or parameter giving the use. test/core/consent-sql.test.ts checks both agree on every case.
 */
export function mayUseSql(author: string, scopes: string, use: string): string {
  return `(${author} = 'organiser' OR ((${scopes})::text[] IS NOT NULL AND (${use})::text = ANY((${scopes})::text[])))`;
}

/** For a judgment-like row whose author is always a participant (judgments, votes): `c` the consents row. */
export function participantMayUseSql(scopes: string, use: string): string {
  return mayUseSql("'participant'", scopes, use);
}
