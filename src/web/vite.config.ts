import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The browser app: root src/web, output web-dist/ at the repository root. JSX through esbuild (Preact). */
export default defineConfig({
  root: here,
  base: "/",
  publicDir: false,
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  resolve: { alias: { react: "preact/compat", "react-dom": "preact/compat" } },
  build: {
    outDir: path.resolve(here, "../../web-dist"),
    emptyOutDir: true,
    target: "es2020",
    sourcemap: false,
    modulePreload: { polyfill: false },
    // CSP forbids inline scripts and styles: keep every asset a file.
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    // bench/web-bundle.ts reads the manifest to add up what each page loads.
    manifest: true,
  },
});
