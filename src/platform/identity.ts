/** Identity across accounts: what follows a person who links their anonymous session to a full account. */
import { inTransaction, type Pool } from "./db/pool.ts";

/**
 * Moves an anonymous account's participant records and roles to the account it is being linked to, in one
 * transaction, so the person keeps seeing and controlling (revoking) their data. Where the full account already
 * has a record in the same evaluation, that one is kept and the anonymous one stays with the anonymous account.
 * A full account raises the moved records' identity assurance to `verified_account`; an organiser role always
 * wins over an observer role.
 */
export async function linkAccounts(pool: Pool, anonymousUserId: string, newUserId: string, fullAccount: boolean): Promise<void> {
  if (anonymousUserId === newUserId) return;
  await inTransaction(pool, async (db) => {
    await db.query(
      `UPDATE participants p SET user_id = $2, assurance = CASE WHEN $3::boolean THEN 'verified_account' ELSE p.assurance END
        WHERE p.user_id = $1 AND NOT p.imported
          AND NOT EXISTS (SELECT 1 FROM participants q WHERE q.evaluation_id = p.evaluation_id AND q.user_id = $2)`,
      [anonymousUserId, newUserId, fullAccount],
    );
    if (fullAccount) await db.query(`UPDATE participants SET assurance = 'verified_account' WHERE user_id = $1 AND NOT imported`, [newUserId]);
    await db.query(
      `INSERT INTO evaluation_roles (evaluation_id, user_id, role) SELECT evaluation_id, $2, role FROM evaluation_roles WHERE user_id = $1
       ON CONFLICT (evaluation_id, user_id) DO UPDATE SET role = CASE WHEN evaluation_roles.role = 'organiser' OR EXCLUDED.role = 'organiser' THEN 'organiser' ELSE EXCLUDED.role END`,
      [anonymousUserId, newUserId],
    );
  });
}
