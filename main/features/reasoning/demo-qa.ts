/**
 * A small multi-hop QA file in HotpotQA's dataset form about the synthetic demo shop, generated
 * deterministically from the demo's seed. Every answer needs two paragraphs: a user's purchases (by product
 * code) and the product's own page; a few other product pages are mixed in as distractors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_SEED, generateDemo, type DemoData, type DemoItem } from '../datasets/demo-data.js';
import { mulberry32 } from '../../base/rng.js';
import type { HotpotParagraph, HotpotQuestion } from './hotpot-file.js';
import type { SupportingFact } from './hotpot-eval.js';

export const DEMO_QA_FILE = 'demo-qa.json';

interface Purchase {
  item: DemoItem;
  rating: number;
}

/** The product name without its brand (the brand is what bridge questions ask for). */
function productName(it: DemoItem): string {
  return it.title.startsWith(`${it.brand} `) ? it.title.slice(it.brand.length + 1) : it.title;
}

function itemParagraph(it: DemoItem): HotpotParagraph {
  const sentences = [
    `${it.asin} is the ${productName(it)}, a ${it.categories[2]!.toLowerCase()} in the ${it.categories[1]} category.`,
    `It is made by ${it.brand}.`,
    `It sells for $${it.price.toFixed(2)}.`,
  ];
  if (it.scent) sentences.push(it.scent === 'unscented' ? 'It is unscented.' : `Its scent is ${it.scent}.`);
  return [it.asin, sentences];
}

function userParagraph(user: string, purchases: Purchase[]): HotpotParagraph {
  return [user, purchases.map((p, i) => `${i === 0 ? `${user} bought` : 'Then they bought'} ${p.item.asin} and rated it ${p.rating} out of 5.`)];
}

function shuffle<T>(rng: () => number, xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Builds `count` questions (default 30): brand bridges, category bridges and same-brand comparisons (yes/no). */
export function buildDemoQa(opts: { seed?: number; count?: number; data?: DemoData } = {}): HotpotQuestion[] {
  const seed = opts.seed ?? DEMO_SEED;
  const data = opts.data ?? generateDemo({ seed });
  const rng = mulberry32(seed ^ 0x5a17);
  const byAsin = new Map(data.items.map((it) => [it.asin, it]));
  const histories = new Map<string, Purchase[]>();
  for (const r of data.reviews) {
    const list = histories.get(r.reviewerID) ?? [];
    list.push({ item: byAsin.get(r.asin)!, rating: r.overall });
    histories.set(r.reviewerID, list);
  }
  // Each user paragraph shows the last 4 purchases (keeps prompts short for small models).
  const users = [...histories.keys()].sort();
  const recent = (u: string) => histories.get(u)!.slice(-4);
  const distractors = (exclude: Set<string>, n: number): HotpotParagraph[] => {
    const out: HotpotParagraph[] = [];
    while (out.length < n) {
      const it = data.items[Math.floor(rng() * data.items.length)]!;
      if (exclude.has(it.asin)) continue;
      exclude.add(it.asin);
      out.push(itemParagraph(it));
    }
    return out;
  };

  const count = opts.count ?? 30;
  const questions: HotpotQuestion[] = [];
  let attempts = 0;
  while (questions.length < count && attempts++ < count * 50) {
    const kind = questions.length % 3;
    const user = users[Math.floor(rng() * users.length)]!;
    const ps = recent(user);
    const id = `demo_qa_${String(questions.length + 1).padStart(3, '0')}`;
    if (kind === 0 || kind === 1) {
      // Bridge: user -> product code -> product page. The product must be the only one of its kind and scent.
      const k = Math.floor(rng() * ps.length);
      const target = ps[k]!.item;
      // "Hydrating Body Mist, Lavender" reads as "lavender hydrating body mist" in a question.
      const name = productName(target)
        .toLowerCase()
        .replace(/^(.*), (\w+)$/, '$2 $1');
      if (kind === 0 && ps.filter((p) => productName(p.item).toLowerCase() === name).length > 1) continue;
      const exclude = new Set(ps.map((p) => p.item.asin));
      const context = shuffle(rng, [userParagraph(user, ps), ...ps.map((p) => itemParagraph(p.item)), ...distractors(exclude, 2)]);
      if (kind === 0) {
        const sf: SupportingFact[] = [
          [user, k],
          [target.asin, 0],
          [target.asin, 1],
        ];
        questions.push({
          _id: id,
          type: 'bridge',
          level: 'easy',
          question: `Which brand makes the ${name} that ${user} bought?`,
          answer: target.brand,
          context,
          supporting_facts: sf,
        });
      } else {
        const last = ps.at(-1)!.item;
        questions.push({
          _id: id,
          type: 'bridge',
          level: 'easy',
          question: `In which category is the last product that ${user} bought?`,
          answer: last.categories[1]!,
          context,
          supporting_facts: [
            [user, ps.length - 1],
            [last.asin, 0],
          ],
        });
      }
    } else {
      // Comparison: are two users' most recent purchases from the same brand? Alternate yes and no.
      const wantYes = questions.filter((q) => q.type === 'comparison').length % 2 === 0;
      const a = ps.at(-1)!.item;
      const others = users.filter((u) => u !== user && (recent(u).at(-1)!.item.brand === a.brand) === wantYes);
      if (others.length === 0) continue;
      const other = others[Math.floor(rng() * others.length)]!;
      const qs = recent(other);
      const b = qs.at(-1)!.item;
      if (b.asin === a.asin) continue;
      const exclude = new Set([a.asin, b.asin]);
      const context = shuffle(rng, [userParagraph(user, ps), userParagraph(other, qs), itemParagraph(a), itemParagraph(b), ...distractors(exclude, 2)]);
      questions.push({
        _id: id,
        type: 'comparison',
        level: 'medium',
        question: `Were the most recent purchases of ${user} and ${other} made by the same brand?`,
        answer: wantYes ? 'yes' : 'no',
        context,
        supporting_facts: [
          [user, ps.length - 1],
          [other, qs.length - 1],
          [a.asin, 1],
          [b.asin, 1],
        ],
      });
    }
  }
  return questions;
}

/** Writes the demo QA file into `dir` (idempotent: same seed, same bytes) and returns its path. */
export function writeDemoQaFile(dir: string, opts: { seed?: number; count?: number } = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, DEMO_QA_FILE);
  fs.writeFileSync(file, JSON.stringify(buildDemoQa(opts), null, 1) + '\n');
  return file;
}
