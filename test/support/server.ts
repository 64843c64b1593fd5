import type { FastifyInstance } from "fastify";
import { buildServer } from "../../src/app.ts";
import { createAuth } from "../../src/platform/http/auth.ts";
import type { Pool } from "../../src/platform/db/pool.ts";
import type { LiveSettings, Services } from "../../src/platform/context.ts";
import { testDatabase } from "./db.ts";

export interface TestServer {
  app: FastifyInstance;
  pool: Pool;
  /** the test database's connection string */
  url: string;
  baseUrl: string;
  close: () => Promise<void>;
}

/**
 * The real HTTP server on a loopback port, over a fresh database cloned from the migrated template.
 * `now` replaces the services' clock (deadlines can pass without waiting).
 */
export const TEST_SECRET = "test-secret-".padEnd(48, "x");

/**
 * `live`: the operator's settings for live subjects (default: the production defaults, public endpoints
 * only and no local models; tests against a loopback fake endpoint allow it explicitly).
 */
export async function startTestServer(options: { now?: () => Date; live?: LiveSettings } = {}): Promise<TestServer> {
  const db = await testDatabase();
  const auth = createAuth(db.pool, { secret: TEST_SECRET, baseURL: "http://127.0.0.1", trustedOrigins: ["http://127.0.0.1:*"], attemptsPerMinute: false });
  const services: Services = { pool: db.pool, secret: TEST_SECRET, ...(options.now ? { now: options.now } : {}), ...(options.live ? { live: options.live } : {}) };
  const app = await buildServer({ services, auth, rateLimit: 1_000_000 });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    app,
    pool: db.pool,
    url: db.url,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  contentType: string;
}

/** A browser-like client: keeps its session cookie between calls. */
export class Client {
  private cookies = new Map<string, string>();
  constructor(private readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, rawBody?: string): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { origin: this.baseUrl };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (body !== undefined || rawBody !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(this.baseUrl + path, { method, headers, body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)) });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, ...value] = (pair ?? "").split("=");
      if (name) this.cookies.set(name.trim(), value.join("="));
    }
    const text = await response.text();
    const contentType = response.headers.get("content-type") ?? "";
    return { status: response.status, body: (text && contentType.includes("json") ? JSON.parse(text) : text) as T, contentType };
  }

  /** The session cookie as a Cookie header (for raw-socket tests). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  get = <T = Record<string, unknown>>(path: string) => this.request<T>("GET", path);
  post = <T = Record<string, unknown>>(path: string, body?: unknown) => this.request<T>("POST", path, body ?? {});
  put = <T = Record<string, unknown>>(path: string, body?: unknown) => this.request<T>("PUT", path, body ?? {});
  patch = <T = Record<string, unknown>>(path: string, body?: unknown) => this.request<T>("PATCH", path, body ?? {});
}

let accounts = 0;

/** Signs up a full (organiser-capable) account through better-auth's own route. */
export async function signUp(baseUrl: string, name = "Organiser"): Promise<Client> {
  const client = new Client(baseUrl);
  accounts += 1;
  const email = `user${accounts}-${Date.now()}@example.org`;
  const res = await client.post("/api/auth/sign-up/email", { email, password: "correct horse battery", name });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return client;
}

/** The tables rowCounts counts: every base table of the public schema but the migrations ledger. */
export async function countedTables(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name",
  );
  return rows.map((row) => row.name);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Counts rows in every table (read from information_schema), to show that a refused request changed nothing. */
export async function rowCounts(pool: Pool, options: { ignore?: readonly string[] } = {}): Promise<Record<string, number>> {
  const tables = (await countedTables(pool)).filter((t) => !options.ignore?.includes(t));
  const { rows } = await pool.query<Record<string, number>>(`SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${quoteIdent(t)}) AS ${quoteIdent(t)}`).join(", ")}`);
  const assignmentsJudged = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM assignments WHERE judged_at IS NOT NULL");
  return { ...(rows[0] ?? {}), assignments_judged: assignmentsJudged.rows[0]?.n ?? 0 };
}
