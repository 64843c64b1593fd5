#!/usr/bin/env node
// Runs the JavaScript that `npm ci` builds into dist/ (the `prepare` script). Without a build (a fresh
// clone before install) or with COUNTERPUBLIC_FROM_SOURCE=1 it runs the TypeScript sources through tsx.
import { existsSync } from "node:fs";

const built = new URL("../dist/cli/main.js", import.meta.url);
if (existsSync(built) && !process.env.COUNTERPUBLIC_FROM_SOURCE) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
