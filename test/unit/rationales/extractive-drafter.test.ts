import { describe, expect, it } from 'vitest';
import { draftRationale } from '../../../main/features/rationales/extractive-drafter.js';
import type { ItemText, UserContext } from '../../../main/features/rationales/user-context.js';

let next = 0;
const item = (title: string, brand: string, categories: string, idx = next++): ItemText => ({
  idx,
  originalId: String(idx),
  title,
  brand,
  categories,
  description: '',
});

function ctx(history: ItemText[], target: ItemText, ratings: Array<number | null> = []): UserContext {
  return {
    datasetId: 1,
    userIdx: 0,
    userOriginalId: 'u',
    target: { userIdx: 0, pos: history.length, itemIdx: target.idx },
    targetItem: target,
    history: history.map((it, i) => ({ pos: i, item: it, rating: ratings[i] ?? null, review: null })),
  };
}

describe('extractive drafter', () => {
  it('names the dominant category and brand and ties the target to both', () => {
    const paper = item('Copy Paper 500 sheets', 'Hammermill', 'Office Products, Paper, Copy Paper');
    const h = [
      paper,
      item('Gel Pens 12 pack', 'Pilot', 'Office Products, Pens, Gel Pens'),
      item('Copy Paper Ream Bright White', 'Hammermill', 'Office Products, Paper, Copy Paper'),
      paper,
    ];
    const d = draftRationale(ctx(h, item('Premium Copy Paper 8.5 x 11', 'Hammermill', 'Office Products, Paper, Copy Paper'), [5, 4, 5, 5]));
    expect(d.text).toBe(
      'Across 4 earlier purchases, this user mostly bought copy paper (3). They return to Hammermill (3 items). ' +
        'They bought Copy Paper 500 sheets more than once, a sign of a staple they restock. They rate what they buy highly on average (4.8/5). ' +
        'The chosen item, Premium Copy Paper 8.5 x 11, fits this pattern: it is from Hammermill, a brand they bought 3 times before and it sits in copy paper, their most frequent category.',
    );
    expect(d.features.topBrands[0]).toEqual({ name: 'Hammermill', count: 3 });
    expect(d.features.repeatedItems).toEqual(['Copy Paper 500 sheets']);
  });

  it('calls a target outside the pattern a departure', () => {
    const h = [item('Stapler', 'Swingline', 'Office, Staplers'), item('Staples box', 'Swingline', 'Office, Staplers')];
    const d = draftRationale(ctx(h, item('Desk Lamp LED', 'TaoTronics', 'Home, Lighting, Desk Lamps')));
    expect(d.text).toContain('mostly bought staplers (2)');
    expect(d.text).toContain('They return to Swingline (2 items).');
    expect(d.text).toContain('The chosen item, Desk Lamp LED, is a departure: a desk lamps item from TaoTronics, outside their usual categories and brands');
  });

  it('handles a first purchase (no history)', () => {
    const d = draftRationale(ctx([], item('Label Maker', 'Brother', 'Office, Labels')));
    expect(d.text).toBe(
      "This is the user's first purchase in the data, so there is no earlier pattern to draw on. They chose Label Maker, a labels item from Brother, on its own merits.",
    );
  });

  it('stays short (under about 100 words) on a long varied history', () => {
    const h = Array.from({ length: 60 }, (_, i) =>
      item(`A very long product title number ${i} with many descriptive words in it`, `Brand${i % 7}`, `Office, Cat${i % 5}`),
    );
    const d = draftRationale(ctx(h, item('Something else entirely with a long title that goes on and on', 'Brand3', 'Office, Cat2')));
    expect(d.text.split(/\s+/).length).toBeLessThanOrEqual(100);
  });
});
