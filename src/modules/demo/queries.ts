import type { Queryable } from "../../platform/db/pool.ts";

/** A demo account (no password, no session): the demo's organiser and its sample participant act through it. */
export async function ensureDemoUser(db: Queryable, id: string, name: string, anonymous: boolean): Promise<void> {
  await db.query(
    `INSERT INTO "user" (id, name, email, "emailVerified", "isAnonymous") VALUES ($1, $2, $3, false, $4) ON CONFLICT (id) DO NOTHING`,
    [id, name, `${id}@demo.counterpublic.invalid`, anonymous],
  );
}
