import assert from "node:assert/strict";
import { test } from "node:test";
import i18next from "i18next";
import ar from "../../src/web/lib/locales/ar/index.ts";
import en from "../../src/web/lib/locales/en/index.ts";
import es from "../../src/web/lib/locales/es/index.ts";

const PLURAL = /_(zero|one|two|few|many|other)$/;

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

/** Keys with plural forms collapsed to their base: languages have different plural categories. */
function baseKeys(catalog: unknown): string[] {
  return [...new Set(keys(catalog).map((key) => key.replace(PLURAL, "")))].sort();
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)(?:,[^}]*)?\}\}/g)].map((m) => m[1] ?? "").sort();
}

function lookup(catalog: unknown, key: string): string | undefined {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalog) as string | undefined;
}

/** The forms a key has: itself, or its plural variants. */
function variants(catalog: unknown, base: string): Map<string, string> {
  const all = keys(catalog).filter((key) => key === base || key.replace(PLURAL, "") === base);
  return new Map(all.map((key) => [key.match(PLURAL)?.[1] ?? "", lookup(catalog, key) ?? ""]));
}

const withoutCount = (list: string[]) => list.filter((name) => name !== "count");

for (const [name, catalog] of [["en", en], ["es", es], ["ar", ar]] as const) {
  test(`the ${name} catalog has every plural form its language's plural rules use, for every plural key`, () => {
    const needed = new Intl.PluralRules(name).resolvedOptions().pluralCategories;
    for (const base of baseKeys(catalog)) {
      const forms = variants(catalog, base);
      if (forms.has("")) continue;
      for (const category of needed) assert.ok(forms.has(category), `${name}: ${base}_${category} is missing`);
    }
  });
}

for (const [name, catalog] of [["es", es], ["ar", ar]] as const) {
  test(`the ${name} catalog has exactly the English keys, each translated, with the same placeholders`, () => {
    const english = baseKeys(en);
    assert.deepEqual(baseKeys(catalog), english);
    const untranslated = english.filter((key) => {
      const theirs = [...variants(catalog, key).values()];
      const ours = [...variants(en, key).values()];
      return theirs.some((text) => ours.includes(text) && /[a-z]{4,}/.test(text)) && !key.startsWith("rules.bt") && key !== "app.name";
    });
    assert.deepEqual(untranslated, [], `strings left in English in ${name}`);
    for (const key of english) {
      const ours = [...new Set([...variants(en, key).values()].flatMap((text) => withoutCount(placeholders(text))))].sort();
      for (const [form, text] of variants(catalog, key)) {
        // a plural form may spell its number out ("one", "two") or say "none", so only the general form needs them all
        const theirs = withoutCount(placeholders(text));
        if (form === "" || form === "other") assert.deepEqual(theirs, ours, `${name}: ${key}${form ? `_${form}` : ""}`);
        else assert.ok(theirs.every((p) => ours.includes(p)), `${name}: ${key}_${form} has a placeholder English lacks`);
      }
    }
  });
}

test("counts read with their plural forms: no '1 signatures', no 'faltan 1', Arabic dual and few", async () => {
  const i18n = i18next.createInstance();
  await i18n.init({ lng: "en", resources: { en: { translation: en }, es: { translation: es }, ar: { translation: ar } }, interpolation: { escapeValue: false } });
  assert.equal(i18n.t("govern.reportGathering", { count: 1 }), "1 signature so far.");
  assert.equal(i18n.t("govern.reportGathering", { count: 2 }), "2 signatures so far.");
  assert.equal(i18n.t("record.demandsSummary", { count: 1, overdue: 0 }), "1 demand; 0 with an overdue answer.");
  assert.equal(i18n.t("govern.reportNeeded", { lng: "es", count: 1 }), "Falta 1 para publicarlo.");
  assert.equal(i18n.t("govern.reportNeeded", { lng: "es", count: 3 }), "Faltan 3 para publicarlo.");
  assert.equal(i18n.t("record.groupSize", { lng: "ar", count: 2 }), "شخصان");
  assert.equal(i18n.t("record.groupSize", { lng: "ar", count: 5 }), "5 أشخاص");
  assert.equal(i18n.t("record.groupSize", { lng: "ar", count: 11 }), "11 شخصًا");
});
