/** Small generated datasets for the UI tests (S3-Rec text plus an item text TSV). */
import fs from 'node:fs';
import path from 'node:path';

export interface S3RecFixture {
  dir: string;
  sequences: string;
  itemText: string;
  users: number;
  items: number;
  interactions: number;
}

/** Deterministic S3-Rec file: `users` lines of `user item item ...`, history lengths 3..(3+spread). */
export function writeS3Rec(dir: string, opts: { stem?: string; users?: number; items?: number; titles?: (item: number) => string } = {}): S3RecFixture {
  const stem = opts.stem ?? 'Tiny';
  const nUsers = opts.users ?? 40;
  const nItems = opts.items ?? 30;
  fs.mkdirSync(dir, { recursive: true });
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const used = new Set<number>();
  let interactions = 0;
  const lines: string[] = [];
  for (let u = 1; u <= nUsers; u++) {
    const len = 3 + Math.floor(rand() * 8);
    const seq: number[] = [];
    for (let k = 0; k < len; k++) {
      // Skewed towards low ids, so popularity has a long tail.
      const it = 1 + Math.floor(rand() ** 2 * nItems);
      seq.push(it);
      used.add(it);
    }
    interactions += seq.length;
    lines.push(`${u} ${seq.join(' ')}`);
  }
  const sequences = path.join(dir, `${stem}.txt`);
  fs.writeFileSync(sequences, lines.join('\n') + '\n');
  const title = opts.titles ?? ((i: number) => `Item number ${i}`);
  const rows = ['s3rec_item_id\tasin\ttitle\tbrand_and_categories'];
  for (let i = 1; i <= nItems; i++) rows.push(`${i}\tB${String(i).padStart(9, '0')}\t${title(i)}\tBrand${i % 5}; Cat A; Cat ${i % 3}`);
  const itemText = path.join(dir, `${stem}_item_text.tsv`);
  fs.writeFileSync(itemText, rows.join('\n') + '\n');
  return { dir, sequences, itemText, users: nUsers, items: used.size, interactions };
}
