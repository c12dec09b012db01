import type { Command } from '../../commands/registry';
import type { Services } from '../../workbench/services';

export function openNewRun(s: Services): void {
  s.layout.showView('training');
  s.editors.open({ id: 'training.new', kind: 'training.new', title: 'New Training Run', description: 'Start a training run' });
}

export function openRuns(s: Services, select?: number[]): void {
  s.layout.showView('training');
  s.editors.open({
    id: 'training.runs',
    kind: 'training.runs',
    title: 'Training Runs',
    description: 'Curves and the runs table',
    data: { select: select ?? null, at: Date.now() },
  });
}

export function openMap(s: Services, space?: number): void {
  s.layout.showView('training');
  s.editors.open({
    id: 'training.map',
    kind: 'training.map',
    title: 'Thought-Space Map',
    description: 'Behaviour and rationale embeddings before and after training',
    data: { space: space ?? null },
  });
}

export async function exportResults(s: Services, format: 'csv' | 'md', ids?: number[]): Promise<{ text: string; rows: number }> {
  const r = await s.api.call('runs.export', { format, ...(ids && ids.length ? { ids } : {}) });
  download(`pulse-results.${format}`, r.text, format === 'csv' ? 'text/csv' : 'text/markdown');
  return r;
}

/** Saves text as a file through the browser (works in both doors; no host path needed). */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function trainingCommands(s: Services): Command[] {
  return [
    { id: 'training.newRun', category: 'Training', title: 'New Training Run…', keybinding: 'Ctrl+Alt+R', run: () => openNewRun(s) },
    { id: 'training.showRuns', category: 'Training', title: 'Show Runs and Curves', run: () => openRuns(s) },
    { id: 'training.showMap', category: 'Training', title: 'Open Thought-Space Map', keybinding: 'Ctrl+Alt+M', run: () => openMap(s) },
    { id: 'training.exportCsv', category: 'Training', title: 'Export Results as CSV', run: () => exportResults(s, 'csv') },
    { id: 'training.exportMarkdown', category: 'Training', title: 'Export Results as Markdown', run: () => exportResults(s, 'md') },
  ];
}
