import { api } from "../lib/api.ts";

export interface Session {
  user: { id: string; name: string; email: string; isAnonymous?: boolean | null };
}

/** The signed-in organiser, or null (an anonymous participant account is not an organiser). */
export async function organiserSession(): Promise<Session | null> {
  const session = await api.get<Session | null>("/api/auth/get-session");
  return session?.user && !session.user.isAnonymous ? session : null;
}
