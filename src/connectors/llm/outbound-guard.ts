/**
 * The guard on every outbound connection to a subject's endpoint. It runs when a socket is opened, not
 * when a URL is read: the host name is resolved here, every address is judged by `outboundDecision`, and
 * the socket is opened to an allowed address only. A name that resolved to a public address on save and
 * to 127.0.0.1 now (DNS rebinding) is refused now; redirects are not followed at all.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { DEFAULT_OUTBOUND_POLICY, outboundDecision, type AddressClass, type OutboundPolicy } from "../../core/outbound.ts";

/** Resolves a host name to every address it has (tests inject one). */
export type LookupAll = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export interface OutboundGuardOptions {
  readonly policy?: OutboundPolicy;
  readonly lookup?: LookupAll;
  /** resolving and connecting, per connection */
  readonly connectTimeoutMs?: number;
}

const defaultLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Thrown (as the cause of the failed request) when no address of the host may be connected to. */
export class ForbiddenAddressError extends Error {
  override readonly name = "ForbiddenAddressError";
  readonly code = "EFORBIDDENADDRESS";
  constructor(readonly classes: readonly (AddressClass | "invalid")[]) {
    super(`the endpoint's host resolves only to addresses this server does not connect to (${[...new Set(classes)].join(", ") || "none"})`);
  }
}

export function isForbiddenAddressError(error: unknown): error is ForbiddenAddressError {
  for (let current: unknown = error, depth = 0; depth < 6 && current instanceof Error; depth += 1, current = current.cause) {
    if (current instanceof ForbiddenAddressError) return true;
  }
  return false;
}

function defaultPort(protocol: string): number {
  return protocol === "https:" ? 443 : 80;
}

/** The first allowed address of `hostname`, or throws ForbiddenAddressError. DNS failures pass through. */
export async function allowedAddress(hostname: string, port: number, options: OutboundGuardOptions = {}): Promise<string> {
  const policy = options.policy ?? DEFAULT_OUTBOUND_POLICY;
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  const addresses = isIP(bare) ? [bare] : (await (options.lookup ?? defaultLookup)(bare)).map((entry) => entry.address);
  const classes: (AddressClass | "invalid")[] = [];
  for (const address of addresses) {
    const decision = outboundDecision(policy, { host: bare, port, address });
    if (decision.allowed) return address;
    classes.push(decision.class);
  }
  throw new ForbiddenAddressError(classes);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} took longer than ${ms} ms`), { code: "ETIMEDOUT" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** An undici Agent whose every new socket goes through `allowedAddress`. */
export function guardedAgent(options: OutboundGuardOptions = {}): Agent {
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const base = buildConnector({ timeout: connectTimeoutMs });
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const port = Number(connectOptions.port) || defaultPort(connectOptions.protocol);
    withTimeout(allowedAddress(connectOptions.hostname, port, options), connectTimeoutMs, "resolving the endpoint's host").then(
      (address) => {
        const sniName = isIP(connectOptions.hostname.replace(/^\[|\]$/g, "")) ? "" : connectOptions.hostname;
        base({ ...connectOptions, hostname: address, ...(sniName && !connectOptions.servername ? { servername: sniName } : {}) }, callback);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
  return new Agent({ connect });
}

export interface GuardedFetch {
  /** a WHATWG fetch (as the `openai` client wants it) that connects through the guard and never follows redirects */
  readonly fetch: typeof globalThis.fetch;
  close(): Promise<void>;
}

export function guardedFetch(options: OutboundGuardOptions = {}): GuardedFetch {
  const agent = guardedAgent(options);
  const fetch = ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent, redirect: "manual" })) as unknown as typeof globalThis.fetch;
  return { fetch, close: () => agent.close() };
}

export type EndpointUrlProblem = { readonly rule: "scheme" | "forbidden_address"; readonly message: string };

/**
 * The check on save: only http(s), and a host that is not a forbidden address literal and does not
 * resolve only to forbidden addresses. A host that does not resolve (yet) passes: the connect-time guard
 * is the real one. Returns null when the URL is acceptable.
 */
export async function endpointUrlProblem(raw: string, options: OutboundGuardOptions = {}): Promise<EndpointUrlProblem | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { rule: "scheme", message: "the base URL is not a valid URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { rule: "scheme", message: "the base URL must start with http:// or https://" };
  const port = Number(url.port) || defaultPort(url.protocol);
  try {
    await withTimeout(allowedAddress(url.hostname, port, options), options.connectTimeoutMs ?? 3_000, "resolving the endpoint's host");
    return null;
  } catch (error) {
    if (!(error instanceof ForbiddenAddressError)) return null;
    const classes = [...new Set(error.classes)].join(", ");
    return {
      rule: "forbidden_address",
      message: `the base URL's host is (or resolves only to) an address this server does not call: ${classes}. Loopback, private, link-local, unique-local and metadata addresses are refused unless the operator allows them`,
    };
  }
}
