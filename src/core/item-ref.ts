/**
 * Rule `item_reference`: how an imported row's `item` value finds an item the evaluation already has, so that
 * an upload fills the items the organiser wrote instead of silently creating a second one beside each:
 * first an item whose external id equals the value, then the item whose id equals it, then the one item whose
 * title equals it (trimmed). A title two items share is ambiguous and refused; no match means a new item.
 */
import { pushTo } from "./multimap.ts";
export interface KnownItem {
  readonly id: string;
  readonly externalRef: string | null;
  readonly title: string;
}

export type ItemMatch =
  | { readonly kind: "external_ref" | "id" | "title"; readonly id: string }
  | { readonly kind: "new" }
  | { readonly kind: "ambiguous"; readonly count: number };

/** A matcher over the evaluation's items, indexed once (an import may name thousands of items). */
export function itemMatcher(items: readonly KnownItem[]): (ref: string) => ItemMatch {
  const byRef = new Map<string, string>();
  const byId = new Map<string, string>();
  const byTitle = new Map<string, string[]>();
  for (const item of items) {
    if (item.externalRef !== null && !byRef.has(item.externalRef)) byRef.set(item.externalRef, item.id);
    byId.set(item.id, item.id);
    const title = item.title.trim();
    if (title !== "") pushTo(byTitle, title, item.id);
  }
  return (ref) => {
    const value = ref.trim();
    const external = byRef.get(value);
    if (external) return { kind: "external_ref", id: external };
    const id = byId.get(value);
    if (id) return { kind: "id", id };
    const titled = byTitle.get(value) ?? [];
    if (titled.length > 1) return { kind: "ambiguous", count: titled.length };
    const only = titled[0];
    return only ? { kind: "title", id: only } : { kind: "new" };
  };
}

export function matchItemRef(ref: string, items: readonly KnownItem[]): ItemMatch {
  return itemMatcher(items)(ref);
}
