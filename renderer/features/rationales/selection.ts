import type { Queue } from '../../../common/contract';
import { Store } from '../../state/store';

const KEY = 'pulse.review.selection';

/** The dataset and queue picked in the Rationales side bar (per window, kept in localStorage). */
function initial(): { dataset: string | null; queue: Queue } {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as { dataset?: string; queue?: Queue };
    return { dataset: v.dataset ?? null, queue: v.queue ?? 'pending' };
  } catch {
    return { dataset: null, queue: 'pending' };
  }
}

export const reviewSelection = new Store(initial());
reviewSelection.onDidChange((v) => localStorage.setItem(KEY, JSON.stringify(v)));
