import type { Command } from '../../commands/registry';
import type { RunSummary } from '../../../common/contract';
import { getPersistent } from '../../ui/persist';
import type { Services } from '../../workbench/services';
import { pairBySeed, splitSides, type Sides } from './run-groups';

/** What the per-user view opens with: the runs side by side (baseline first) and, optionally, the user. */
export interface UserViewInput {
  runs: number[];
  user?: number | string;
}

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

/** The compare view: side A (the baseline) against side B, each one run or a set of runs (seeds, a sweep). */
export function openCompare(s: Services, sides?: Sides): void {
  s.layout.showView('training');
  s.editors.open({
    id: 'training.compare',
    kind: 'training.compare',
    title: 'Compare Runs',
    description: 'Two runs or two sets of runs: curves, test metrics, gains, p-values, segments',
    data: { sides: sides ?? null, at: Date.now() },
  });
}

/** The runs selected in the runs table as two sides (two groups, SASRec vs PULSE, or two runs) in the compare view. */
export async function compareSelected(s: Services, runs?: RunSummary[]): Promise<void> {
  const sel = getPersistent<number[]>('training.selected') ?? [];
  const all = runs ?? (await s.api.call('runs.list', { includeArchived: true })).runs;
  openCompare(s, sel.length ? splitSides(all, sel) : undefined);
}

/** One user through two (or more) runs side by side: history, rationales used, each run's top-10. */
export function openUserView(s: Services, input: UserViewInput): void {
  s.layout.showView('training');
  s.editors.open({
    id: 'training.user',
    kind: 'training.user',
    title: 'User Side by Side',
    description: `A user's top-10 under runs ${input.runs.join(', ')}`,
    data: { ...input, at: Date.now() },
  });
}

/** The per-user view of the runs selected in the runs table: one run of each side, paired by seed. */
export async function userViewOfSelected(s: Services): Promise<void> {
  const sel = getPersistent<number[]>('training.selected') ?? [];
  const all = (await s.api.call('runs.list', { includeArchived: true })).runs;
  const sides = splitSides(all, sel);
  const pick = (ids: number[]) => all.filter((r) => ids.includes(r.id));
  const pair = pairBySeed(pick(sides.a), pick(sides.b));
  if (!pair) {
    s.notifications.notify({ severity: 'warning', message: 'Select two runs (or two groups) on the same dataset in the runs table first.' });
    return;
  }
  openUserView(s, { runs: [pair[0].id, pair[1].id] });
}

/** The New Run form with its sweep section open. */
export function openSweep(s: Services): void {
  s.layout.showView('training');
  s.editors.open({
    id: 'training.new',
    kind: 'training.new',
    title: 'New Training Run',
    description: 'Start a training run or a sweep',
    data: { sweep: true, at: Date.now() },
  });
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
    { id: 'training.compareSelected', category: 'Training', title: 'Compare Selected Runs', keybinding: 'Ctrl+Alt+C', run: () => compareSelected(s) },
    { id: 'training.compare', category: 'Training', title: 'Open Compare View', run: () => openCompare(s) },
    {
      id: 'training.userView',
      category: 'Training',
      title: 'Open a User Side by Side (Selected Runs)',
      keybinding: 'Ctrl+Alt+U',
      run: () => userViewOfSelected(s),
    },
    { id: 'training.newSweep', category: 'Training', title: 'New Sweep…', keybinding: 'Ctrl+Alt+S', run: () => openSweep(s) },
    { id: 'training.evaluate', category: 'Training', title: 'Evaluate Selected Run Under a Protocol…', run: () => evaluateRun(s) },
    { id: 'training.newRun', category: 'Training', title: 'New Training Run…', keybinding: 'Ctrl+Alt+N', run: () => openNewRun(s) },
    { id: 'training.showRuns', category: 'Training', title: 'Show Runs and Curves', run: () => openRuns(s) },
    { id: 'training.exportCsv', category: 'Training', title: 'Export Results as CSV', run: () => exportResults(s, 'csv') },
    { id: 'training.exportMarkdown', category: 'Training', title: 'Export Results as Markdown', run: () => exportResults(s, 'md') },
  ];
}
