/**
 * Rule `item_reference`: how an imported row's `item` value finds an item the evaluation already has, so that
 * an upload fills the items the organiser wrote instead of silently creating a second one beside each:
 * first an item whose external id equals the value, then the item whose id equals it, then the one item whose
 * title equals it (trimmed). A title two items share is ambiguous and refused; no match means a new item.
 */
export interface KnownItem {
  readonly id: string;
  readonly externalRef: string | null;
  readonly title: string;
}

export type ItemMatch =
  | { readonly kind: "external_ref" | "id" | "title"; readonly id: string }
  | { readonly kind: "new" }
  | { readonly kind: "ambiguous"; readonly count: number };

export function matchItemRef(ref: string, items: readonly KnownItem[]): ItemMatch {
  const value = ref.trim();
  const byRef = items.find((i) => i.externalRef !== null && i.externalRef === value);
  if (byRef) return { kind: "external_ref", id: byRef.id };
  const byId = items.find((i) => i.id === value);
  if (byId) return { kind: "id", id: byId.id };
  const byTitle = items.filter((i) => i.title.trim() !== "" && i.title.trim() === value);
  if (byTitle.length > 1) return { kind: "ambiguous", count: byTitle.length };
  const only = byTitle[0];
  return only ? { kind: "title", id: only.id } : { kind: "new" };
}
