/**
 * Similar users by item overlap (Jaccard over TRAINING items only), for the optional {{similar_users}} variable,
 * until a trained model (SASRec user embeddings) offers better. Built once per dataset and job, in memory.
 */
import type { Db } from '../../platform/storage/database.js';

export class SimilarUsers {
  private readonly itemsOf = new Map<number, number[]>();
  private readonly usersOf = new Map<number, number[]>();

  constructor(db: Db, datasetId: number) {
    const rows = db
      .prepare("SELECT user_idx, item_idx FROM interaction_split WHERE dataset_id = ? AND split = 'train' ORDER BY user_idx, pos")
      .raw()
      .all(datasetId) as Array<[number, number]>;
    for (const [u, i] of rows) {
      let a = this.itemsOf.get(u);
      if (!a) this.itemsOf.set(u, (a = []));
      a.push(i);
      let b = this.usersOf.get(i);
      if (!b) this.usersOf.set(i, (b = []));
      b.push(u);
    }
  }

  /** The k most similar users to `user` given the items it saw (its history before the target). */
  topK(user: number, seen: number[], k = 5): Array<{ user: number; similarity: number }> {
    const mine = new Set(seen);
    const overlap = new Map<number, number>();
    for (const i of mine) for (const u of this.usersOf.get(i) ?? []) if (u !== user) overlap.set(u, (overlap.get(u) ?? 0) + 1);
    const scored = [...overlap].map(([u, o]) => ({ user: u, similarity: o / (mine.size + new Set(this.itemsOf.get(u)).size - o) }));
    scored.sort((a, b) => b.similarity - a.similarity || a.user - b.user);
    return scored.slice(0, k);
  }

  /**
   * Items the similar users chose, most frequent first, leaving out every item the user ever interacted with
   * (`exclude`: so the user's own validation and test items can never reach a prompt this way).
   */
  suggestedItems(user: number, seen: number[], exclude: number[], k = 5, maxItems = 10): number[] {
    const mine = new Set([...seen, ...exclude]);
    const count = new Map<number, number>();
    for (const { user: u } of this.topK(user, seen, k)) for (const i of new Set(this.itemsOf.get(u))) if (!mine.has(i)) count.set(i, (count.get(i) ?? 0) + 1);
    return [...count]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, maxItems)
      .map(([i]) => i);
  }
}
