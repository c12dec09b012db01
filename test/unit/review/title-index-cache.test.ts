import { afterEach, describe, expect, it } from 'vitest';
import { TitleIndex } from '../../../main/features/review/named-items.js';
import { Workspace } from '../../../main/platform/workspace/workspace.js';
import { insertDataset } from '../../support/review-data.js';
import { tempDir } from '../../support/temp.js';

describe('TitleIndex.forDataset', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('builds a dataset index once, and again when the dataset is another one under the same id', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const ws = Workspace.open(t.dir);
    try {
      const db = ws.db;
      const a = insertDataset(db, 'a', { users: 5, items: 12 });
      const b = insertDataset(db, 'b', { users: 5, items: 12, seed: 3 });
      const first = TitleIndex.forDataset(db, a);
      expect(TitleIndex.forDataset(db, a)).toBe(first);
      expect(TitleIndex.forDataset(db, b)).not.toBe(first);
      // The items change only through an import; a changed content hash (or creation time) means new items.
      db.prepare("UPDATE items SET title = 'Zephyr Quartz Lantern Deluxe' WHERE dataset_id = ? AND idx = 0").run(a);
      db.prepare("UPDATE datasets SET content_hash = 'another' WHERE id = ?").run(a);
      const second = TitleIndex.forDataset(db, a);
      expect(second).not.toBe(first);
      expect(
        second
          .named('They bought the Zephyr Quartz Lantern Deluxe.')
          .flat()
          .map((i) => i.idx),
      ).toEqual([0]);
    } finally {
      ws.close();
    }
  });
});
