import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
    files: ["src/core/**/*.ts", "src/analytics/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["node:*", "pg", "fastify", "../store/*", "../services/*", "../server/*", "../connectors/*", "../cli/*"] }],
      "no-restricted-properties": ["error", { object: "Math", property: "random", message: "analytics and domain are seeded: pass a PRNG" }, { object: "Date", property: "now", message: "domain and analytics take time as an argument" }],
      "no-restricted-globals": ["error", "process", "fetch", "setTimeout"],
    },
  },
);
