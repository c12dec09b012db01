/**
 * The extractive drafter (agent 'extractive'): a rationale built from item text alone, no model. It states the
 * user's dominant categories, brands and repeat patterns in the training history and connects them to the
 * target item in plain sentences. Every dataset gets readable rationales this way, and the SLM a baseline.
 */
import { createHash } from 'node:crypto';
import { categoryLevels, type HistoryEntry, type UserContext } from './user-context.js';

export const DRAFTER_NAME = 'pulse-extractive';
export const DRAFTER_VERSION = 1;
/** Same drafter version = same output for the same history: drafting twice is skipped, never duplicated. */
export const EXTRACTIVE_GENERATION_KEY = createHash('sha256').update(`extractive:${DRAFTER_NAME}:${DRAFTER_VERSION}`).digest('hex');

export interface DraftFeatures {
  historyLength: number;
  topCategories: Array<{ name: string; count: number }>;
  topBrands: Array<{ name: string; count: number }>;
  repeatedItems: string[];
  meanRating: number | null;
  targetBrandCount: number;
  targetCategoryCount: number;
}

export interface Draft {
  text: string;
  features: DraftFeatures;
}

function shortTitle(t: string, max = 60): string {
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const sp = cut.lastIndexOf(' ');
  return `${cut.slice(0, sp > 30 ? sp : max).replace(/[\s,;:(-]+$/, '')}...`;
}

function leaf(categories: string): string | null {
  return categoryLevels(categories).at(-1) ?? null;
}

function ranked(values: Array<string | null>): Array<{ name: string; count: number }> {
  const m = new Map<string, { name: string; count: number; first: number }>();
  values.forEach((v, i) => {
    if (!v) return;
    const key = v.toLowerCase();
    const e = m.get(key);
    if (e) e.count++;
    else m.set(key, { name: v, count: 1, first: i });
  });
  // Ties go to the more recent interest (the later first appearance wins).
  return [...m.values()].sort((a, b) => b.count - a.count || b.first - a.first).map(({ name, count }) => ({ name, count }));
}

function listWords(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;
}

function features(history: HistoryEntry[], ctx: UserContext): DraftFeatures {
  const cats = ranked(history.map((h) => leaf(h.item.categories)));
  const brands = ranked(history.map((h) => h.item.brand || null));
  const seen = new Map<number, number>();
  for (const h of history) seen.set(h.item.idx, (seen.get(h.item.idx) ?? 0) + 1);
  const repeated = history
    .filter((h, i) => (seen.get(h.item.idx) ?? 0) > 1 && history.findIndex((x) => x.item.idx === h.item.idx) === i)
    .map((h) => h.item.title);
  const ratings = history.map((h) => h.rating).filter((r): r is number => r !== null);
  const tBrand = ctx.targetItem.brand.toLowerCase();
  const tCat = (leaf(ctx.targetItem.categories) ?? '').toLowerCase();
  return {
    historyLength: history.length,
    topCategories: cats.slice(0, 3),
    topBrands: brands.slice(0, 3),
    repeatedItems: repeated,
    meanRating: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
    targetBrandCount: tBrand ? history.filter((h) => h.item.brand.toLowerCase() === tBrand).length : 0,
    targetCategoryCount: tCat ? history.filter((h) => (leaf(h.item.categories) ?? '').toLowerCase() === tCat).length : 0,
  };
}

/** Drafts the rationale for a user's context (its history is the training history before the target). */
export function draftRationale(ctx: UserContext): Draft {
  const h = ctx.history;
  const f = features(h, ctx);
  const target = ctx.targetItem;
  const tTitle = shortTitle(target.title);
  const tCat = leaf(target.categories);
  const s: string[] = [];

  if (h.length === 0) {
    s.push(`This is the user's first purchase in the data, so there is no earlier pattern to draw on.`);
    const what = [tCat ? `a ${tCat.toLowerCase()} item` : 'an item', target.brand ? `from ${target.brand}` : ''].filter(Boolean).join(' ');
    s.push(`They chose ${tTitle}, ${what}, on its own merits.`);
    return { text: s.join(' '), features: f };
  }

  const n = h.length;
  const plural = n === 1 ? 'purchase' : 'purchases';
  const cats = f.topCategories.filter((c) => c.count >= 2 || n <= 2);
  if (cats.length) {
    s.push(`Across ${n} earlier ${plural}, this user mostly bought ${listWords(cats.slice(0, 2).map((c) => `${c.name.toLowerCase()} (${c.count})`))}.`);
  } else if (f.topCategories.length) {
    s.push(
      `Across ${n} earlier ${plural}, this user bought from many categories, such as ${listWords(f.topCategories.slice(0, 2).map((c) => c.name.toLowerCase()))}.`,
    );
  }
  const loyal = f.topBrands.filter((b) => b.count >= 2);
  if (loyal.length) s.push(`They return to ${listWords(loyal.slice(0, 2).map((b) => `${b.name} (${b.count} items)`))}.`);
  else if (f.topBrands.length >= 2) s.push(`They show no strong brand loyalty.`);
  if (f.repeatedItems.length) s.push(`They bought ${shortTitle(f.repeatedItems[0]!, 50)} more than once, a sign of a staple they restock.`);
  if (f.meanRating !== null)
    s.push(`They rate what they buy ${f.meanRating >= 4 ? 'highly' : f.meanRating >= 3 ? 'moderately' : 'poorly'} on average (${f.meanRating.toFixed(1)}/5).`);

  const links: string[] = [];
  if (f.targetBrandCount > 0 && target.brand)
    links.push(`it is from ${target.brand}, a brand they bought ${f.targetBrandCount === 1 ? 'once' : `${f.targetBrandCount} times`} before`);
  if (f.targetCategoryCount > 0 && tCat) {
    const top = f.topCategories[0]?.name.toLowerCase() === tCat.toLowerCase();
    links.push(
      top
        ? `it sits in ${tCat.toLowerCase()}, their most frequent category`
        : `it sits in ${tCat.toLowerCase()}, a category they bought ${f.targetCategoryCount === 1 ? 'once' : `${f.targetCategoryCount} times`} before`,
    );
  }
  if (links.length) s.push(`The chosen item, ${tTitle}, fits this pattern: ${listWords(links)}.`);
  else {
    const what = [tCat ? `a ${tCat.toLowerCase()} item` : 'an item', target.brand ? `from ${target.brand}` : ''].filter(Boolean).join(' ');
    s.push(`The chosen item, ${tTitle}, is a departure: ${what}, outside their usual categories and brands, likely a new need.`);
  }
  return { text: s.join(' '), features: f };
}
