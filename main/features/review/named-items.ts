/**
 * Which catalog items a text names, and which items a user's rationale may name. Items are "named" when their
 * title appears in the text (whole, or its first five or more words when the text shortens it), or their original
 * id appears as a word (ids of five or more characters).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../platform/storage/database.js';
import { tokens } from './words.js';

export interface NamedItem {
  idx: number;
  originalId: string;
  title: string;
}

interface IndexedTitle extends NamedItem {
  words: string[];
}

const TITLE_WORDS = 12;

const titleIndexes = new WeakMap<Db, Map<number, { stamp: string; index: TitleIndex }>>();

/**
 * Dataset-wide lookup from a title's first three words to the items with that title start. Titles often share
 * their first words ("Acme Gel Pen Set Model 12" / "... Model 13"), so at each place in a text only the items
 * matching the most words count, as one group: the text names one of them (a shortened title can leave several).
 */
export class TitleIndex {
  private byKey = new Map<string, IndexedTitle[]>();
  private byId = new Map<string, NamedItem>();

  constructor(items: Iterable<NamedItem>) {
    for (const it of items) {
      const words = tokens(it.title).slice(0, TITLE_WORDS);
      if (words.length >= 3) {
        const key = words.slice(0, 3).join(' ');
        const list = this.byKey.get(key);
        const e = { ...it, words };
        if (list) list.push(e);
        else this.byKey.set(key, [e]);
      }
      if (it.originalId.length >= 5) this.byId.set(it.originalId.toLowerCase(), it);
    }
  }

  /**
   * The dataset's index, built once and kept (items never change after an import): building it reads and
   * tokenizes every title, about 10 ms for Beauty, and the review view needs it for every record it shows
   * before the quality job ran and for every edit (bench/server-load.ts found it dominating the host's CPU).
   * A dataset deleted and another imported under the same id has another created_at and content hash.
   */
  static forDataset(db: Db, datasetId: number): TitleIndex {
    let cache = titleIndexes.get(db);
    if (!cache) titleIndexes.set(db, (cache = new Map()));
    const stamp = db.prepare("SELECT created_at || ' ' || content_hash FROM datasets WHERE id = ?").pluck().get(datasetId) as string | undefined;
    const hit = cache.get(datasetId);
    if (hit && stamp !== undefined && hit.stamp === stamp) return hit.index;
    const index = new TitleIndex(
      db.prepare('SELECT idx, original_id AS originalId, title FROM items WHERE dataset_id = ?').iterate(datasetId) as Iterable<NamedItem>,
    );
    cache.delete(datasetId);
    if (stamp !== undefined) cache.set(datasetId, { stamp, index });
    // A few datasets at a time: each index holds every title of its dataset.
    while (cache.size > 4) cache.delete(cache.keys().next().value!);
    return index;
  }

  /** The items the text names, as groups of equally good title matches (an id names exactly one item). */
  named(text: string): NamedItem[][] {
    const t = tokens(text);
    const groups: NamedItem[][] = [];
    for (let i = 0; i + 3 <= t.length; i++) {
      const list = this.byKey.get(`${t[i]} ${t[i + 1]} ${t[i + 2]}`);
      if (!list) continue;
      let best = 0;
      let group: IndexedTitle[] = [];
      for (const e of list) {
        const n = matchLength(t, i, e.words);
        // A title counts when it matches whole, or (shortened in the text) on at least five words.
        if (n < e.words.length && n < 5) continue;
        if (n > best) {
          best = n;
          group = [e];
        } else if (n === best) group.push(e);
      }
      if (group.length) groups.push(group);
    }
    for (const w of t) {
      const e = this.byId.get(w);
      if (e) groups.push([e]);
    }
    return groups;
  }
}

function matchLength(t: string[], i: number, words: string[]): number {
  let k = 0;
  while (k < words.length && t[i + k] === words[k]) k++;
  return k;
}

/** What a rationale may name: the user's training items up to the target; and what it must not: held-out items. */
export interface UserScope {
  allowed: Set<number>;
  heldOut: NamedItem[];
}

const scopeStatements = new WeakMap<Db, Statement<unknown[]>>();

export function userScope(db: Db, datasetId: number, userIdx: number, targetPos: number): UserScope {
  let stmt = scopeStatements.get(db);
  if (!stmt) {
    stmt = db.prepare(
      `SELECT s.pos, s.split, i.idx, i.original_id AS originalId, i.title FROM interaction_split s
       JOIN items i ON i.dataset_id = s.dataset_id AND i.idx = s.item_idx WHERE s.dataset_id = ? AND s.user_idx = ?`,
    );
    scopeStatements.set(db, stmt);
  }
  const rows = stmt.all(datasetId, userIdx) as Array<NamedItem & { pos: number; split: string }>;
  const allowed = new Set(rows.filter((r) => r.split === 'train' && r.pos <= targetPos).map((r) => r.idx));
  const heldOut = rows.filter((r) => r.split !== 'train' && !allowed.has(r.idx));
  return { allowed, heldOut };
}
