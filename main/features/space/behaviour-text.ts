// The behaviour side of a Thought Space pair, as PULSE writes it: "History: item (brand; categories), ...
// Chosen item: title". Built from the training split only, up to the rationale's target item: the
// validation and test items never appear (the leakage rule).

export interface ItemText {
  originalId: string;
  title: string;
  brand: string;
  categories: string;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

export function itemTitle(it: ItemText): string {
  return clip(it.title.trim(), 120) || `item ${it.originalId}`;
}

/** "title (brand; categories)", leaving out empty parts. */
export function itemPhrase(it: ItemText): string {
  const extra = [it.brand.trim(), clip(it.categories.trim(), 80)].filter(Boolean).join('; ');
  return extra ? `${itemTitle(it)} (${extra})` : itemTitle(it);
}

/** Most recent `maxHistory` items of the history (oldest first), then the chosen item. */
export function behaviourText(history: ItemText[], chosen: ItemText, maxHistory = 20): string {
  const h = history.slice(Math.max(0, history.length - maxHistory));
  return `History: ${h.length ? h.map(itemPhrase).join(', ') : '(none)'}. Chosen item: ${itemTitle(chosen)}`;
}
