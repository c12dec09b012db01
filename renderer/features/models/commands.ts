import type { Command } from '../../commands/registry';
import type { Services } from '../../workbench/services';
import { Store } from '../../state/store';

/** Bumped when the model list changes (add, remove, download finished): views refetch. */
export const modelsVersion = new Store(0);
export const bumpModels = () => modelsVersion.set((v) => v + 1);

export function openModel(s: Services, m: { id: number; name: string }): void {
  s.editors.open({ id: `model:${m.id}`, kind: 'models.model', title: m.name, description: `Model ${m.name}`, data: { id: m.id } });
}

export function openDownload(s: Services): void {
  s.layout.showView('models');
  s.editors.open({
    id: 'models.download',
    kind: 'models.download',
    title: 'Download Model',
    description: 'Download by URL, hf: reference or from the catalog',
  });
}

export function openEndpoint(s: Services): void {
  s.layout.showView('models');
  s.editors.open({ id: 'models.endpoint', kind: 'models.endpoint', title: 'Endpoint', description: 'An OpenAI-compatible endpoint backend' });
}

export function openGenerate(s: Services, tab: 'generate' | 'playground' = 'generate'): void {
  s.layout.showView('models');
  s.editors.open({
    id: 'models.generate',
    kind: 'models.generate',
    title: 'Generate Rationales',
    description: 'Generate rationales with a model and a template; try a template on one user',
    data: { tab, at: Date.now() },
  });
}

/** Asks for a GGUF file or a folder on the host and registers what it finds. */
export async function addModelByPath(s: Services): Promise<void> {
  const p = await s.dialogs.prompt({
    title: 'Add Model',
    message: 'Path of a GGUF file, or of a folder to scan for GGUF files (on the host machine).',
    confirmLabel: 'Add',
    input: { value: '', label: 'Path', validate: (v) => (v.trim() ? null : 'A path is required') },
  });
  if (p === null) return;
  s.layout.showView('models');
  const r = await s.api.call('models.add', { path: p.trim() });
  bumpModels();
  if (r.added.length) s.notifications.info(`Added ${r.added.map((m) => m.name).join(', ')}.`);
  for (const sk of r.skipped) s.notifications.notify({ severity: 'warning', message: `Skipped ${sk.file}: ${sk.reason}` });
  if (!r.added.length && !r.skipped.length) s.notifications.notify({ severity: 'warning', message: 'No GGUF file found there.' });
  if (r.added.length === 1) openModel(s, r.added[0]!);
}

export function modelsCommands(s: Services): Command[] {
  return [
    { id: 'models.add', category: 'Models', title: 'Add Model by Path…', run: () => addModelByPath(s) },
    { id: 'models.download', category: 'Models', title: 'Download Model…', run: () => openDownload(s) },
    { id: 'models.endpoint', category: 'Models', title: 'Configure Endpoint…', run: () => openEndpoint(s) },
    { id: 'models.generate', category: 'Models', title: 'Generate Rationales…', keybinding: 'Ctrl+Alt+G', run: () => openGenerate(s, 'generate') },
    { id: 'models.playground', category: 'Models', title: 'Open Prompt Playground', run: () => openGenerate(s, 'playground') },
    { id: 'models.refresh', category: 'Models', title: 'Refresh Models', run: () => bumpModels() },
    {
      id: 'models.unload',
      category: 'Models',
      title: 'Unload Model',
      run: async () => {
        await s.api.call('models.unload', {});
        bumpModels();
      },
    },
  ];
}
