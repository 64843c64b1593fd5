/**
 * The operator's settings for live subjects, read from the environment once, by the serve command, and
 * passed down in Services (connectors never read process.env).
 *
 * - COUNTERPUBLIC_ALLOW_PRIVATE_ENDPOINTS=1: endpoints may be on loopback, private, link-local, … networks
 *   (a local Ollama); cloud metadata addresses stay refused.
 * - COUNTERPUBLIC_ENDPOINT_ALLOW_HOSTS=host1,host2:port: only these hosts (or addresses), on that port
 *   when one is given, may be on such networks.
 * - COUNTERPUBLIC_MODELS_DIR=/srv/models: GGUF subjects name a file in this folder; unset, they are refused.
 */
import path from "node:path";
import { DEFAULT_OUTBOUND_POLICY, parseAllowHosts, type OutboundPolicy } from "../core/outbound.ts";
import type { LiveSettings } from "./context.ts";

export function liveSettingsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): LiveSettings {
  const allowPrivate = env.COUNTERPUBLIC_ALLOW_PRIVATE_ENDPOINTS;
  if (allowPrivate !== undefined && !["", "0", "1", "true", "false"].includes(allowPrivate.trim().toLowerCase())) {
    throw new Error(`COUNTERPUBLIC_ALLOW_PRIVATE_ENDPOINTS must be 1 or 0, got ${JSON.stringify(allowPrivate)}`);
  }
  let allowHosts: OutboundPolicy["allowHosts"] = [];
  try {
    allowHosts = parseAllowHosts(env.COUNTERPUBLIC_ENDPOINT_ALLOW_HOSTS ?? "");
  } catch (error) {
    throw new Error(`COUNTERPUBLIC_ENDPOINT_ALLOW_HOSTS: ${error instanceof Error ? error.message : String(error)}`);
  }
  const policy: OutboundPolicy = { ...DEFAULT_OUTBOUND_POLICY, allowPrivate: ["1", "true"].includes((allowPrivate ?? "").trim().toLowerCase()), allowHosts };
  const modelsDir = env.COUNTERPUBLIC_MODELS_DIR?.trim();
  return { outbound: { policy }, modelsDir: modelsDir ? path.resolve(modelsDir) : null };
}
