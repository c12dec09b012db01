import type { Command } from '../../commands/registry';
import type { Services } from '../../workbench/services';
import { Name } from '../../../common/contract';

export function openImport(s: Services): void {
  s.layout.showView('datasets');
  s.editors.open({ id: 'dataset.import', kind: 'dataset.import', title: 'Import Dataset' });
}

export function openDataset(s: Services, name: string, tab: 'overview' | 'users' = 'overview'): void {
  s.editors.open({ id: `dataset:${name}`, kind: 'dataset', title: name, description: `Dataset ${name}`, data: { name, tab } });
}

export async function renameDataset(s: Services, name: string): Promise<void> {
  const taken = new Set((s.datasets.list.get() ?? []).map((d) => d.name));
  const newName = await s.dialogs.prompt({
    title: 'Rename Dataset',
    message: `New name for “${name}”.`,
    confirmLabel: 'Rename',
    input: {
      value: name,
      label: 'Name',
      validate: (v) => {
        const r = Name.safeParse(v);
        if (!r.success) return r.error.issues[0]?.message ?? 'Invalid name';
        if (r.data !== name && taken.has(r.data)) return 'A dataset with this name exists.';
        return null;
      },
    },
  });
  if (newName === null || newName.trim() === name) return;
  await s.api.call('datasets.rename', { name, newName: newName.trim() });
  s.editors.close(`dataset:${name}`);
  await s.datasets.refresh();
  openDataset(s, newName.trim());
}

export async function deleteDataset(s: Services, name: string): Promise<void> {
  const ok = await s.dialogs.confirm({
    title: 'Delete Dataset',
    message: `Delete “${name}” and everything derived from it in this workspace? This cannot be undone.`,
    confirmLabel: 'Delete',
    destructive: true,
  });
  if (!ok) return;
  await s.api.call('datasets.delete', { name });
  s.editors.close(`dataset:${name}`);
  await s.datasets.refresh();
}

export function datasetCommands(s: Services): Command[] {
  return [
    { id: 'datasets.import', category: 'Datasets', title: 'Import Dataset…', keybinding: 'Ctrl+Alt+I', run: () => openImport(s) },
    { id: 'datasets.refresh', category: 'Datasets', title: 'Refresh Datasets', run: () => s.datasets.refresh() },
  ];
}
