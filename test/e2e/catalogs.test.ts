import assert from "node:assert/strict";
import { test } from "node:test";
import ar from "../../src/web/lib/locales/ar/index.ts";
import en from "../../src/web/lib/locales/en/index.ts";
import es from "../../src/web/lib/locales/es/index.ts";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? "").sort();
}

function lookup(catalog: unknown, key: string): string {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalog) as string;
}

for (const [name, catalog] of [["es", es], ["ar", ar]] as const) {
  test(`the ${name} catalog has exactly the English keys, each translated, with the same placeholders`, () => {
    const english = keys(en).sort();
    assert.deepEqual(keys(catalog).sort(), english);
    const untranslated = english.filter((key) => lookup(catalog, key) === lookup(en, key) && /[a-z]{4,}/.test(lookup(en, key)) && !key.startsWith("rules.bt") && key !== "app.name");
    assert.deepEqual(untranslated, [], `strings left in English in ${name}`);
    for (const key of english) assert.deepEqual(placeholders(lookup(catalog, key)), placeholders(lookup(en, key)), `${name}: ${key}`);
  });
}
