import type { Queue } from '../../../common/contract';
import type { Command } from '../../commands/registry';
import type { Services } from '../../workbench/services';
import { reviewSelection } from './selection';

export function openReview(s: Services, dataset: string, queue: Queue = 'pending', id?: number): void {
  s.editors.open({
    id: `review:${dataset}:${queue}${id !== undefined ? `:${id}` : ''}`,
    kind: 'review',
    title: id !== undefined ? `Review #${id}` : `Review ${dataset}`,
    description: `Review rationales of ${dataset} (${queue} queue)`,
    data: { dataset, queue, id },
  });
}

export function openBulk(s: Services, dataset: string): void {
  s.editors.open({
    id: `rationales.bulk:${dataset}`,
    kind: 'rationales.bulk',
    title: `Rationales ${dataset}`,
    description: `All rationales of ${dataset}`,
    data: { dataset },
  });
}

function dataset(s: Services): string | null {
  const d = reviewSelection.get().dataset ?? s.datasets.list.get()?.[0]?.name ?? null;
  if (!d) s.notifications.info('Import or build a dataset with rationales first.');
  return d;
}

export function rationaleCommands(s: Services): Command[] {
  return [
    {
      id: 'review.start',
      category: 'Review',
      title: 'Start Reviewing Rationales',
      keybinding: 'Ctrl+Alt+R',
      run: () => {
        const d = dataset(s);
        if (d) openReview(s, d, reviewSelection.get().queue);
      },
    },
    {
      id: 'review.openBulk',
      category: 'Review',
      title: 'Open All Rationales (Bulk View)',
      keybinding: 'Ctrl+Alt+B',
      run: () => {
        const d = dataset(s);
        if (d) openBulk(s, d);
      },
    },
    {
      id: 'review.checkQuality',
      category: 'Review',
      title: 'Check Rationale Quality',
      run: async () => {
        const d = dataset(s);
        if (d) await s.api.call('review.quality', { dataset: d, recompute: false });
      },
    },
  ];
}
