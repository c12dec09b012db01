import { Name, type RunSummary } from '../../../common/contract';
import type { Services } from '../../workbench/services';

export async function renameRun(s: Services, r: RunSummary): Promise<void> {
  const name = await s.dialogs.prompt({
    title: 'Rename Run',
    message: `New name for “${r.name}”.`,
    confirmLabel: 'Rename',
    input: {
      value: r.name,
      label: 'Name',
      validate: (v) => (Name.safeParse(v).success ? null : (Name.safeParse(v).error?.issues[0]?.message ?? 'Invalid name')),
    },
  });
  if (name === null || name.trim() === r.name) return;
  await s.api.call('runs.rename', { id: r.id, name: name.trim() });
}

export async function deleteRun(s: Services, r: RunSummary): Promise<void> {
  const ok = await s.dialogs.confirm({
    title: 'Delete Run',
    message: `Delete “${r.name}” with its metrics, results and checkpoints? This cannot be undone.`,
    confirmLabel: 'Delete',
    destructive: true,
  });
  if (ok) await s.api.call('runs.delete', { id: r.id });
}
