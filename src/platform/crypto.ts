import { createHash, randomBytes } from "node:crypto";

export function newToken(bytes = 18): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
