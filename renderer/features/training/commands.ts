import type { Command } from '../../commands/registry';
import type { CompareResult } from '../../../preload/contract';
import { getPersistent } from '../../ui/persist';
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

/** Paired t-test of the two runs selected in the runs table, on per-user test NDCG@10 (full ranking). */
export async function compareSelected(s: Services): Promise<CompareResult | null> {
  const sel = getPersistent<number[]>('training.selected') ?? [];
  if (sel.length !== 2) {
    s.notifications.notify({ severity: 'warning', message: 'Select exactly two runs in the runs table to compare them.' });
    return null;
  }
  const r = await s.api.call('runs.compare', { a: sel[0]!, b: sel[1]!, metric: 'ndcg@10', protocol: 'full' });
  s.notifications.info(
    `Run ${r.a.run} ${r.metric} ${r.a.value.toFixed(4)} vs run ${r.b.run} ${r.b.value.toFixed(4)}: mean difference ${r.meanDiff.toFixed(4)}, t = ${r.t.toFixed(2)}, p = ${r.p.toPrecision(3)} (n = ${r.n}).`,
  );
  return r;
}

/** Evaluates a run's best checkpoint under another protocol (a train.eval job). */
export async function evaluateRun(s: Services, id?: number): Promise<void> {
  const run = id ?? (getPersistent<number[]>('training.selected') ?? [])[0];
  if (run === undefined) {
    s.notifications.notify({ severity: 'warning', message: 'Select a run in the runs table first.' });
    return;
  }
  const protocol = await s.dialogs.prompt({
    title: 'Evaluate Run',
    message: `Evaluate run #${run}'s best checkpoint on the test split under a protocol.`,
    confirmLabel: 'Evaluate',
    input: { value: 'sampled:100', label: 'Protocol', validate: (v) => (/^(full|sampled:[1-9][0-9]{0,4})$/.test(v.trim()) ? null : 'Use full or sampled:N') },
  });
  if (protocol === null) return;
  const { jobId } = await s.api.call('eval.run', { id: run, protocol: protocol.trim() });
  s.notifications.info(`Evaluation started (job ${jobId}).`);
}

export function trainingCommands(s: Services): Command[] {
  return [
    { id: 'training.compareSelected', category: 'Training', title: 'Compare the Two Selected Runs (paired t-test)', run: () => compareSelected(s) },
    { id: 'training.evaluate', category: 'Training', title: 'Evaluate Selected Run Under a Protocol…', run: () => evaluateRun(s) },
    { id: 'training.newRun', category: 'Training', title: 'New Training Run…', keybinding: 'Ctrl+Alt+N', run: () => openNewRun(s) },
    { id: 'training.showRuns', category: 'Training', title: 'Show Runs and Curves', run: () => openRuns(s) },
    { id: 'training.showMap', category: 'Training', title: 'Open Thought-Space Map', keybinding: 'Ctrl+Alt+M', run: () => openMap(s) },
    { id: 'training.exportCsv', category: 'Training', title: 'Export Results as CSV', run: () => exportResults(s, 'csv') },
    { id: 'training.exportMarkdown', category: 'Training', title: 'Export Results as Markdown', run: () => exportResults(s, 'md') },
  ];
}
