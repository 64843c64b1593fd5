/**
 * Which addresses the server may send requests to on an organiser's behalf (live subjects' endpoints).
 * Pure: no DNS, no sockets. The connect-time guard (connectors/llm/outbound-guard.ts) and the check on
 * save both ask `outboundDecision`, the one rule.
 */

export const ADDRESS_CLASSES = [
  "public",
  "loopback",
  "private",
  "shared",
  "link_local",
  "unique_local",
  "unspecified",
  "multicast",
  "metadata",
  "reserved",
] as const;
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

/** What the operator allows beyond public addresses. */
export interface OutboundPolicy {
  /** every non-public address except cloud metadata (COUNTERPUBLIC_ALLOW_PRIVATE_ENDPOINTS=1) */
  readonly allowPrivate: boolean;
  /** hosts (or addresses), optionally with a port, allowed whatever they resolve to (COUNTERPUBLIC_ENDPOINT_ALLOW_HOSTS) */
  readonly allowHosts: readonly AllowedHost[];
}

export interface AllowedHost {
  /** lower-case host name without a trailing dot, or a normalised IP address */
  readonly host: string;
  /** null: any port */
  readonly port: number | null;
}

export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = { allowPrivate: false, allowHosts: [] };

export type OutboundDecision = { readonly allowed: true; readonly class: AddressClass } | { readonly allowed: false; readonly class: AddressClass | "invalid" };

/**
 * The rule. `host` is the URL's host name (as written), `address` the IP the socket would connect to.
 * Public addresses are allowed; an allow-listed host (or address), on its port if one is given, is
 * allowed whatever it resolves to; `allowPrivate` allows every other class except cloud metadata.
 */
export function outboundDecision(policy: OutboundPolicy, target: { host: string; port: number; address: string }): OutboundDecision {
  const addressClass = classifyAddress(target.address);
  if (addressClass === null) return { allowed: false, class: "invalid" };
  if (addressClass === "public") return { allowed: true, class: addressClass };
  const host = normaliseHost(target.host);
  const address = normaliseHost(target.address);
  const listed = policy.allowHosts.some((entry) => (entry.host === host || entry.host === address) && (entry.port === null || entry.port === target.port));
  if (listed) return { allowed: true, class: addressClass };
  if (policy.allowPrivate && addressClass !== "metadata") return { allowed: true, class: addressClass };
  return { allowed: false, class: addressClass };
}

/** Lower case, no brackets, no trailing dot; IP addresses in their canonical form. */
export function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h.endsWith(".")) h = h.slice(0, -1);
  const bytes = parseIp(h);
  if (bytes?.length === 16) return formatIpv6(bytes);
  if (bytes?.length === 4) return bytes.join(".");
  return h;
}

/**
 * `host1,host2:port,[::1]:11434` → entries. Throws a RangeError naming the bad entry.
 */
export function parseAllowHosts(text: string): AllowedHost[] {
  const entries: AllowedHost[] = [];
  for (const raw of text.split(",")) {
    const item = raw.trim();
    if (!item) continue;
    let host = item;
    let port: number | null = null;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(item);
    if (bracketed) {
      host = bracketed[1] ?? "";
      port = bracketed[2] === undefined ? null : Number(bracketed[2]);
    } else if ((item.match(/:/g) ?? []).length === 1) {
      const [name, portText] = item.split(":");
      host = name ?? "";
      if (!/^\d+$/.test(portText ?? "")) throw new RangeError(`allowed host "${item}": the port must be a number`);
      port = Number(portText);
    }
    if (port !== null && (port < 1 || port > 65_535)) throw new RangeError(`allowed host "${item}": the port must be 1–65535`);
    const normalised = normaliseHost(host);
    if (!normalised || !/^[a-z0-9.:_-]+$/.test(normalised)) throw new RangeError(`allowed host "${item}" is not a host name or address`);
    entries.push({ host: normalised, port });
  }
  return entries;
}

/** null when `address` is not an IP address. IPv4-mapped, -compatible, NAT64 and 6to4 forms are judged by the IPv4 address inside. */
export function classifyAddress(address: string): AddressClass | null {
  const bytes = parseIp(normaliseBracketless(address));
  if (!bytes) return null;
  return bytes.length === 4 ? classifyIpv4(bytes) : classifyIpv6(bytes);
}

function normaliseBracketless(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith("[") && a.endsWith("]") ? a.slice(1, -1) : a;
}

function classifyIpv4(b: readonly number[]): AddressClass {
  const [a = 0, c = 0, d = 0, e = 0] = b;
  if (a === 169 && c === 254 && d === 169 && e === 254) return "metadata";
  if (a === 0) return "unspecified";
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && c >= 16 && c <= 31) || (a === 192 && c === 168)) return "private";
  if (a === 100 && c >= 64 && c <= 127) return "shared";
  if (a === 169 && c === 254) return "link_local";
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return "reserved";
  // IETF protocol assignments, documentation, benchmarking
  if ((a === 192 && c === 0 && (d === 0 || d === 2)) || (a === 198 && (c === 18 || c === 19)) || (a === 198 && c === 51 && d === 100) || (a === 203 && c === 0 && d === 113)) return "reserved";
  return "public";
}

function classifyIpv6(b: readonly number[]): AddressClass {
  const word = (i: number): number => ((b[i * 2] ?? 0) << 8) | (b[i * 2 + 1] ?? 0);
  const words = [0, 1, 2, 3, 4, 5, 6, 7].map(word);
  const zeroUntil = (n: number): boolean => words.slice(0, n).every((w) => w === 0);
  const v4 = (offset: number): number[] => b.slice(offset, offset + 4);
  if (zeroUntil(8)) return "unspecified";
  if (zeroUntil(7) && words[7] === 1) return "loopback";
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated)
  if (zeroUntil(5) && words[5] === 0xffff) return classifyIpv4(v4(12));
  if (zeroUntil(6)) return classifyIpv4(v4(12));
  // ::ffff:0:a.b.c.d (SIIT translated)
  if (zeroUntil(4) && words[4] === 0xffff && words[5] === 0) return classifyIpv4(v4(12));
  // NAT64 64:ff9b::/96 and its local-use prefix 64:ff9b:1::/48
  if (words[0] === 0x64 && words[1] === 0xff9b && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0) return classifyIpv4(v4(12));
  if (words[0] === 0x64 && words[1] === 0xff9b && words[2] === 1) return "private";
  // 6to4 2002:a.b.c.d::/48
  if (words[0] === 0x2002) return classifyIpv4(v4(2));
  if (words[0] === 0xfd00 && words[1] === 0x0ec2 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0 && words[6] === 0 && words[7] === 0x254) return "metadata";
  if ((words[0] ?? 0) >> 9 === 0x7e) return "unique_local"; // fc00::/7
  if (((words[0] ?? 0) & 0xffc0) === 0xfe80) return "link_local"; // fe80::/10
  if (((words[0] ?? 0) & 0xffc0) === 0xfec0) return "private"; // fec0::/10, deprecated site-local
  if ((words[0] ?? 0) >> 8 === 0xff) return "multicast";
  // Teredo 2001::/32, documentation 2001:db8::/32, discard 100::/64, ORCHID 2001:10::/28 and 2001:20::/28
  if (words[0] === 0x2001 && (words[1] === 0 || words[1] === 0x0db8 || ((words[1] ?? 0) & 0xfff0) === 0x10 || ((words[1] ?? 0) & 0xfff0) === 0x20)) return "reserved";
  if (words[0] === 0x100 && words[1] === 0 && words[2] === 0 && words[3] === 0) return "reserved";
  return "public";
}

/** Four bytes for IPv4, sixteen for IPv6 (a zone `%eth0` is ignored), null for anything else. */
export function parseIp(text: string): number[] | null {
  const v4 = parseIpv4(text);
  if (v4) return v4;
  return parseIpv6(text.replace(/%.*$/, ""));
}

function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

function parseIpv6(text: string): number[] | null {
  if (!text.includes(":") || !/^[0-9a-f:.]+$/.test(text)) return null;
  let tail: number[] = [];
  let body = text;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return null;
    tail = [((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0)];
    const upToColon = text.slice(0, lastColon + 1);
    body = upToColon.endsWith("::") ? upToColon : text.slice(0, lastColon);
  }
  const halves = body.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string | undefined): number[] | null => {
    if (!part) return [];
    const groups = part.split(":");
    const out: number[] = [];
    for (const group of groups) {
      if (!/^[0-9a-f]{1,4}$/.test(group)) return null;
      out.push(Number.parseInt(group, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return null;
  const total = head.length + rest.length + tail.length;
  let words: number[];
  if (halves.length === 2) {
    if (total > 7) return null;
    words = [...head, ...new Array<number>(8 - total).fill(0), ...rest, ...tail];
  } else {
    if (total !== 8) return null;
    words = [...head, ...tail];
  }
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

function formatIpv6(bytes: readonly number[]): string {
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return words.join(":");
}
