/**
 * Secrets at rest (subjects' API keys): AES-256-GCM under a key derived with HKDF-SHA256 from the server
 * secret (COUNTERPUBLIC_SECRET). A sealed value is a versioned string, `cpk1.<iv>.<tag>.<ciphertext>`
 * (base64url), bound to what it belongs to (`context`, e.g. the subject id) so it cannot be moved to
 * another row. Opening fails, without saying why, on a wrong secret, context or a tampered value.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "cpk1";
const SALT = "counterpublic/secret-box";
const INFO = "endpoint-api-key aes-256-gcm v1";

function keyOf(secret: string): Buffer {
  if (!secret) throw new Error("the server secret is not configured: API keys cannot be stored");
  return Buffer.from(hkdfSync("sha256", secret, SALT, INFO, 32));
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}.`);
}

export function seal(secret: string, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export class SealedValueError extends Error {
  override readonly name = "SealedValueError";
}

export function open(secret: string, sealed: string, context: string): string {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split(".");
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) {
    throw new SealedValueError("a stored secret is not in a known format");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedValueError("a stored secret could not be opened (was COUNTERPUBLIC_SECRET changed?)");
  }
}
