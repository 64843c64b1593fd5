/**
 * The organiser's charter form covers every charter field: the request the empty form sends names each field
 * of the charter schema, with the schema's own default, so a field added to the charter without a control (or
 * a control whose default drifted from the rule's) fails here.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCharter } from "../../src/core/charter.ts";
import { emptyDraft, TEXT_SPECS, toRequest } from "../../src/web/organise/charter-draft.ts";

function leaves(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

test("the charter form sends every charter field, and its defaults are the charter's defaults", () => {
  // text fields are sent when filled in; the rest are sent as the form starts
  const draft = emptyDraft();
  const written = { "charter.purpose": "p", "charter.sponsor": "s", "charter.beneficiaries": "b", "charter.pay.currency": "USD" };
  const filled = { ...draft, text: Object.fromEntries(TEXT_SPECS.map((spec) => [spec.path, written[spec.path as keyof typeof written] ?? "x"])) };
  const body = toRequest(filled) as { charter: Record<string, unknown> };
  const defaults = parseCharter({ purpose: "p", sponsor: "s", beneficiaries: "b" });
  const sent = new Set(leaves(body.charter));
  const missing = leaves(defaults).filter((path) => !sent.has(path));
  assert.deepEqual(missing, [], "charter fields with no control in the organiser's form");
  assert.deepEqual(parseCharter(body.charter), defaults);
});
